"""{% signature_badge file %}: the digital-signature status of a stored PDF (evidence on a đề án, …) beside the file.

Any app's page can show it without importing upward: the tag takes a FieldFile and reads it through
documents.verification (cached by the file's hash). Non-PDF files and unsigned PDFs show nothing / "chưa ký số".
"""

from django import template

from documents.verification import verify_stored_file

register = template.Library()


@register.inclusion_tag("documents/partials/signature_badge.html")
def signature_badge(file):
    result = verify_stored_file(file)
    if result is None:
        return {"state": ""}
    if not result.readable:
        state = "unreadable"
    elif not result.signatures:
        state = "unsigned"
    elif any(not sig.intact or sig.changed_after for sig in result.signatures):
        state = "changed"
    elif not all(sig.trusted for sig in result.signatures):
        state = "untrusted"
    else:
        state = "ok"
    return {
        "state": state,
        "count": len(result.signatures),
        "signers": "; ".join(sig.signer for sig in result.signatures),
    }
