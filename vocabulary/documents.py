"""Words of the one-person file's documents, each value with the Chinese a case worker reads. The checklist's
own kinds are `vocabulary.case.DocumentKind` (001 四(七))."""

from __future__ import annotations

from vocabulary.labels import Labelled


class FileType(Labelled):
    """What a stored document is, decided from its bytes (never from the client's header or file name)."""

    PDF = "application/pdf", "PDF 文件"
    JPEG = "image/jpeg", "JPG 图片"
    PNG = "image/png", "PNG 图片"

    @property
    def extension(self) -> str:
        return {FileType.PDF: "pdf", FileType.JPEG: "jpg", FileType.PNG: "png"}[self]


class DocumentCategory(Labelled):
    """Where a document comes from."""

    ARCHIVE = "archive", "服务档案材料"  # the checklist (001 四(七)), uploaded by the provider
    SURVEY = "survey", "入户调查附件"  # photos and signed forms of the home survey, from a tablet
    GENERATED = "generated", "系统生成文书"  # letters, notices, decisions, payment files
    OVERSIGHT = "oversight", "监督检查材料"  # evidence of a county spot check (抽查佐证)


class SurveyAttachmentKind(Labelled):
    PHOTO = "photo", "入户调查照片"
    SIGNED_FORM = "signed_form", "入户调查签字表"


class GeneratedKind(Labelled):
    """Documents the system writes. A capability that generates a new kind of document adds it here."""

    REFUSAL_LETTER = "refusal_letter", "不予救助服务告知书"
    HEARING_NOTICE = "hearing_notice", "陈述申辩告知书"
    HEARING_DECISION = "hearing_decision", "陈述申辩处理决定"
    SERVICE_DECISION = "service_decision", "救助服务变更或停止决定书"
    PUBLIC_NOTICE = "public_notice", "公示"
    PAYMENT_XLSX = "payment_xlsx", "结算支付文件(XLSX)"
    PAYMENT_CSV = "payment_csv", "银行支付文件(CSV)"
    OTHER = "other", "其他文书"


class AccessAction(Labelled):
    VIEW = "view", "查看"  # shown inline
    DOWNLOAD = "download", "下载"  # saved as a file
    BUNDLE = "bundle", "打印档案合订本"  # printed into a PDF bundle of the whole file
