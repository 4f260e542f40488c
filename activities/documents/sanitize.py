"""An upload made safe to keep: its type decided from the bytes, images re-encoded without metadata, PDFs
opened. CPU-bound: the API runs it in a worker thread.

- Type: `filetype` reads the magic numbers (pure Python, no libmagic). The client's Content-Type and the file
  name's extension are ignored; the kept name gets the extension of what the bytes are.
- Images: decoded and encoded again (Pillow) after applying the EXIF orientation, so what is kept has no EXIF
  (no GPS position of a recipient's home, no camera serial), no XMP and no text chunks; only the pixels and the
  colour profile survive. A file that is not a whole, decodable image is refused.
- PDFs: opened with pypdf and their pages counted; an encrypted PDF that does not open with an empty password,
  or one that does not parse, is refused. PDFs are kept byte for byte (re-writing could break a signed scan).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from policy.documents import (
    MAX_PIXELS,
    UNREADABLE_IMAGE,
    UNREADABLE_PDF,
    UploadRule,
    check_pages,
    check_pixels,
    check_size,
    check_type,
    safe_filename,
)
from vocabulary.documents import FileType

_KNOWN = {t.value: t for t in FileType}
_EXECUTABLE_MIMES = {"application/x-msdownload", "application/x-executable"}
# Programs by their first bytes (filetype needs more than a header's first bytes): DOS/PE, ELF, scripts,
# Mach-O, Java classes, Android dex.
_EXECUTABLE_PREFIXES = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa",
                        b"\xca\xfe\xba\xbe", b"dex\n")
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb guard refuses beyond what policy allows


@dataclass(frozen=True)
class Clean:
    data: bytes
    file_type: FileType
    filename: str


def detect(raw: bytes) -> tuple[FileType | None, bool]:
    """(the accepted type the bytes are, if any; whether the bytes are a program)."""
    guess = filetype.guess(raw[:8192])
    mime = guess.mime if guess is not None else None
    executable = mime in _EXECUTABLE_MIMES or raw.startswith(_EXECUTABLE_PREFIXES)
    return (_KNOWN.get(mime) if mime else None), executable


def _reencode(raw: bytes, file_type: FileType) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            check_pixels(*image.size)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise UNREADABLE_IMAGE from None
    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)  # the orientation tag goes with the EXIF: turn the pixels instead
    out = io.BytesIO()
    # Only the pixels (and the colour profile) are written: Pillow writes EXIF/XMP/text only when passed.
    if file_type is FileType.JPEG:
        if upright.mode not in ("L", "RGB", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=90, optimize=True, icc_profile=icc)
    else:
        upright.save(out, "PNG", icc_profile=icc)
    return out.getvalue()


def _check_pdf(raw: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UNREADABLE_PDF
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many types for broken files; each means "does not open"
        if exc is UNREADABLE_PDF:
            raise
        raise UNREADABLE_PDF from None
    check_pages(pages)


def sanitize(raw: bytes, rule: UploadRule, filename: str | None, fallback_name: str) -> Clean:
    """Refuses (policy.documents.Refusal) or returns what is kept. The size is checked again after
    re-encoding: an image that grows past its kind's limit is refused too."""
    check_size(rule, len(raw))
    detected, executable = detect(raw)
    file_type = check_type(rule, detected, executable)
    if file_type is FileType.PDF:
        _check_pdf(raw)
        data = raw
    else:
        data = _reencode(raw, file_type)
        check_size(rule, len(data))
    return Clean(data, file_type, safe_filename(filename, file_type, fallback_name))
