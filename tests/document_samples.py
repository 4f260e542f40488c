"""Real files for the documents tests, made here: a PDF (reportlab), PNG and JPEG images (Pillow), a JPEG
carrying EXIF with a GPS position, and a Windows executable's header."""

from __future__ import annotations

import io
import os

from PIL import Image
from PIL.ExifTags import GPS, IFD, Base
from reportlab.pdfgen.canvas import Canvas

# A plausible position: 30°39'36"N, 117°29'24"E (Chizhou), as EXIF degrees, minutes, seconds.
GPS_LAT = (30.0, 39.0, 36.0)
GPS_LON = (117.0, 29.0, 24.0)
# A DOS header with the PE signature offset: what every Windows .exe starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 64


def pdf_bytes(text: str = "ID card copy", pad_to: int = 0) -> bytes:
    """A one-page PDF; `pad_to` grows it to about that many bytes with an incompressible embedded stream."""
    out = io.BytesIO()
    page = Canvas(out)
    page.setTitle("sample")
    page.drawString(72, 720, text)
    if pad_to:
        page.setPageCompression(0)
        page.drawString(72, 700, os.urandom(pad_to // 2).hex()[: pad_to])
    page.showPage()
    page.save()
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (64, 48), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (320, 240)) -> bytes:
    """A phone photo's metadata: camera make, a timestamp and the GPS position of where it was taken."""
    exif = Image.Exif()
    exif[Base.Make] = "PhoneMaker"
    exif[Base.Model] = "Tablet X"
    exif[Base.DateTime] = "2026:11:02 10:30:00"
    exif[Base.Orientation] = 6  # taken with the tablet turned: the pixels must be turned, the tag dropped
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef], gps[GPS.GPSLatitude] = "N", GPS_LAT
    gps[GPS.GPSLongitudeRef], gps[GPS.GPSLongitude] = "E", GPS_LON
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()
