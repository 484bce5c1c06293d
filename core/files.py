"""The one way a stored file leaves the server: through a view that has already checked role and area scope.

There is no /media/ route in any mode; each app's view finds the object through its scoped selector (404 outside
the user's areas) and returns `file_response(...)`.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse, Http404

from core.text import fold

# Served inline (shown in the page or the browser's viewer); anything else is always a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """An ASCII name for old clients and the Vietnamese one (RFC 5987) for the rest."""
    ascii_name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in fold(filename)) or "tep"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def file_response(field_file, *, filename: str = "", content_type: str = "", inline: bool = False) -> FileResponse:
    """Stream a stored file with Content-Disposition, nosniff and a private cache header.

    `inline` is honoured only for images and PDFs: an uploaded HTML or SVG file is never rendered by the browser
    under our origin. A missing file is a 404, not a 500.
    """
    if not field_file:
        raise Http404
    name = filename or PurePosixPath(field_file.name).name
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, inline=inline and content_type in INLINE_TYPES)
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: a shared proxy must not keep it; the user's own browser may, for the session.
    response["Cache-Control"] = "private"
    return response
