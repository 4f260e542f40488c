"""A case walked from application to archive by three users, through the console alone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.document_samples import pdf_bytes
from tests.web.scene import new_id_number, person_name, yesterday


def test_application_to_archive_by_three_users(people: Any) -> None:
    name = person_name()
    worker = people("jiedao")
    page = worker.page
    worker.shot("workbench")

    # 乡镇工作人员: the application at the window, then its registration.
    page.get_by_role("button", name="窗口受理新申请").click()
    form = page.locator("[data-test=new-case]")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=id_number]").fill(new_id_number())
    worker.pick(form.locator("[data-test=village]"), "杏花村社区")
    worker.pick(form.locator("[data-test=category]"), "特困人员")
    form.get_by_text("失能或半失能").click()
    form.locator("textarea[name=need]").fill("独居老人，行动不便，需要上门助洁")
    worker.shot("new-case")
    form.get_by_role("button", name="提交").click()
    page.wait_for_url("**/console/cases/*-*")
    case_url = page.url
    expect(page.locator("[data-test=current-step]")).to_have_text("受理登记")
    expect(page.locator("[data-test=step-bar] [data-step=registration]")).to_have_attribute("data-state", "process")
    worker.shot("case-registration")
    page.locator("[data-action=register]").click()
    page.locator("[data-form=register]").get_by_text("生活服务类").click()
    page.get_by_role("button", name="确定受理登记").click()
    expect(page.locator("[data-test=current-step]")).to_have_text("入户调查")
    expect(page.locator("[data-action=register]")).to_have_count(0)  # done: no longer offered

    # 村(社区)协理员: the task is in the inbox; the home survey on the tablet-friendly form.
    assistant = people("xieliyuan")
    tasks = assistant.page.locator("[data-test=tasks]")
    tasks.get_by_text(name).click()
    assistant.page.wait_for_url(case_url)
    assistant.page.locator("[data-action=survey]").click()
    survey = assistant.page.locator("[data-test=survey-form]")
    survey.locator("input[name=staff]").fill("刘村干")
    for dimension in ("economy", "health", "education", "housing", "employment", "guardianship", "social_integration"):
        survey.locator(f"[data-dimension={dimension}]").get_by_text("2 一般").click()
    survey.get_by_text("已核验身份").click()
    survey.get_by_text("两人已签字").click()
    survey.locator("textarea[name=own_requests]").fill("希望每周上门助洁两次")
    assistant.shot("survey-form")
    survey.get_by_role("button", name="提交入户调查").click()
    expect(assistant.page.locator("[data-test=current-step]")).to_have_text("审核确认")

    # 乡镇工作人员: review with the services chosen from the list, then the referral.
    page.reload()
    page.locator("[data-action=review]").click()
    review = page.locator("[data-test=review-form]")
    review.locator("textarea[name=reasons]").fill("特困人员，失能，生活照料困难")
    review.locator("input[name=difficulty_type]").fill("生活照料困难")
    review.get_by_text("特别困难").click()
    worker.pick(review.locator("[data-test=item-0]"), "助洁")
    review.get_by_role("button", name="提交审核决定").click()
    expect(page.locator("[data-test=current-step]")).to_have_text("转介服务")
    page.locator("[data-action=refer]").click()
    page.locator("[data-form=refer]").get_by_text("贵池区阳光社会工作服务中心").click()
    page.get_by_role("button", name="确定转介").click()
    expect(page.locator("[data-test=holder]")).to_contain_text("服务供给主体")

    # 服务供给主体: accept, plan, record a service, upload to the one-person file, build the archive.
    provider = people("fuwu")
    provider.page.locator("[data-test=tasks]").get_by_text(name).click()
    p = provider.page
    p.locator("[data-action=respond_referral]").click()
    p.get_by_role("button", name="提交答复").click()
    expect(p.locator("[data-test=current-step]")).to_have_text("开展服务")
    p.locator("[data-action=file_plan]").click()
    plan = p.locator("[data-form=file_plan]")
    start = plan.locator(".el-date-editor input")
    start.fill(yesterday())
    start.press("Enter")
    plan.locator("textarea[name=summary]").fill("每周两次上门助洁")
    p.get_by_role("button", name="提交服务方案").click()
    expect(p.locator("[data-test=current-step]")).to_have_text("建立档案")

    p.get_by_role("tab", name="服务记录").click()
    grid = p.locator("[data-test=service-grid]")
    day = grid.locator(".el-date-editor input").first
    day.fill(yesterday())
    day.press("Enter")
    grid.locator("[data-test=content-0]").fill("打扫卧室与厨房")
    grid.locator("[data-test=submit-records]").click()
    expect(grid.locator("[data-state=ok]")).to_have_count(1)
    expect(p.locator("[data-test=service-records] .el-table__body tr")).to_have_count(1)
    provider.shot("service-records")

    p.get_by_role("tab", name="档案材料").click()
    p.locator("[data-test=upload] input[type=file]").set_input_files(
        files=[{"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("ID card copy")}])
    p.locator("[data-test=upload]").get_by_role("button", name="上传").click()
    expect(p.locator("[data-test=files]")).to_contain_text("身份证.pdf")
    p.locator("#tab-work").click()
    p.locator("[data-action=build_archive]").click()
    expect(p.locator("[data-form=build_archive]")).to_contain_text("身份证.pdf")
    p.get_by_role("button", name="建立档案并编制服务号").click()
    expect(p.locator("[data-test=current-step]")).to_have_text("动态管理")

    # Everyone sees the same history; the township worker's view of the finished intake.
    page.reload()
    page.get_by_role("tab", name="办理记录").click()
    history = page.locator("[data-test=history]")
    for action in ("提出申请", "受理登记", "录入入户调查", "审核确认", "转介服务供给主体", "服务供给主体答复转介",
                   "制定服务方案", "建立服务档案"):
        expect(history).to_contain_text(action)
    worker.shot("case-history")
    page.get_by_role("tab", name="案件材料").click()
    worker.shot("case-records")
