"""Words of the one-person file's documents, each value with the Chinese a case worker reads."""

from __future__ import annotations

from enum import StrEnum


class FileType(StrEnum):
    """What a stored document is, decided from its bytes (never from the client's header or file name)."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"

    @property
    def extension(self) -> str:
        return {FileType.PDF: "pdf", FileType.JPEG: "jpg", FileType.PNG: "png"}[self]

    @property
    def zh(self) -> str:
        return {FileType.PDF: "PDF 文件", FileType.JPEG: "JPG 图片", FileType.PNG: "PNG 图片"}[self]


class DocumentCategory(StrEnum):
    """Where a document comes from."""

    ARCHIVE = "archive"  # the one-person file's checklist (001 四(七)), uploaded by the provider
    SURVEY = "survey"  # photos and signed forms of the home survey (入户调查), from a tablet
    GENERATED = "generated"  # written by the system: letters, notices, decisions, payment files


CATEGORY_ZH = {DocumentCategory.ARCHIVE: "服务档案材料", DocumentCategory.SURVEY: "入户调查附件",
               DocumentCategory.GENERATED: "系统生成文书"}


class SurveyAttachmentKind(StrEnum):
    PHOTO = "photo"
    SIGNED_FORM = "signed_form"


SURVEY_KIND_ZH = {SurveyAttachmentKind.PHOTO: "入户调查照片", SurveyAttachmentKind.SIGNED_FORM: "入户调查签字表"}


class GeneratedKind(StrEnum):
    """Documents the system writes. A capability that generates a new kind of document adds it here."""

    REFUSAL_LETTER = "refusal_letter"
    HEARING_NOTICE = "hearing_notice"
    HEARING_DECISION = "hearing_decision"
    SERVICE_DECISION = "service_decision"
    PUBLIC_NOTICE = "public_notice"
    PAYMENT_XLSX = "payment_xlsx"
    PAYMENT_CSV = "payment_csv"
    OTHER = "other"


GENERATED_KIND_ZH = {
    GeneratedKind.REFUSAL_LETTER: "不予救助服务告知书",
    GeneratedKind.HEARING_NOTICE: "陈述申辩告知书",
    GeneratedKind.HEARING_DECISION: "陈述申辩处理决定",
    GeneratedKind.SERVICE_DECISION: "救助服务变更或停止决定书",
    GeneratedKind.PUBLIC_NOTICE: "公示",
    GeneratedKind.PAYMENT_XLSX: "结算支付文件(XLSX)",
    GeneratedKind.PAYMENT_CSV: "银行支付文件(CSV)",
    GeneratedKind.OTHER: "其他文书",
}


class AccessAction(StrEnum):
    VIEW = "view"  # shown inline
    DOWNLOAD = "download"  # saved as a file
    BUNDLE = "bundle"  # printed into a PDF bundle of the whole file


ACCESS_ZH = {AccessAction.VIEW: "查看", AccessAction.DOWNLOAD: "下载", AccessAction.BUNDLE: "打印档案合订本"}
