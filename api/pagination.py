"""The sync cursor: a keyset on (updated_at, id), so a client syncing with updated_since can stop and resume anywhere.

DRF's CursorPagination keeps only the first ordering field's value plus an offset among the rows that share it. A
bulk change gives thousands of rows one updated_at: the pages then scan by offset (capped at 1,000, past which they
repeat), and a record changed between two pages shifts the offsets, so another one is skipped. Here the cursor holds
both values of a page's edge row and the next page is `WHERE (updated_at, id) > (edge) ORDER BY updated_at, id`
(a row comparison on PostgreSQL, served by the (updated_at, id) indexes; its AND/OR expansion on SQLite). A record
changed during a sync moves past the cursor and comes again later, never skipped."""

import datetime
import re
from base64 import b64decode, b64encode
from urllib import parse

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

Position = tuple[datetime.datetime, int]

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only (int() takes "١٢" and "+1"), and within a bigint
_FIELDS = ("updated_at", "id")


class SyncCursor(CursorPagination):
    """Oldest change first. `next` and `previous` are both keyset cursors (previous walks back the same order)."""

    ordering = _FIELDS
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_description = (
        "Con trỏ trang (lấy nguyên giá trị từ trường next hoặc previous của trang trước). Bản ghi xếp theo "
        "(updated_at, id) và con trỏ mang cả hai giá trị của bản ghi ở mép trang, nên nhiều bản ghi cùng "
        "updated_at (một lần sửa hàng loạt) vẫn được trả đúng một lần; bản ghi được sửa trong lúc đồng bộ sẽ "
        "xuất hiện lại ở các trang sau (theo updated_at mới), không bị bỏ sót. Con trỏ sai: lỗi 400."
    )
    page_size_query_description = "Số bản ghi mỗi trang (tối đa 500)"
    invalid_cursor_message = _("Con trỏ trang không hợp lệ. Hãy dùng đúng giá trị next hoặc previous của trang trước.")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.cursor = self.decode_cursor(request)
        reverse = bool(self.cursor and self.cursor.reverse)
        position = self.cursor.position if self.cursor else None

        queryset = queryset.order_by(*(f"-{f}" for f in _FIELDS) if reverse else _FIELDS)
        if position is not None:
            after = TupleLessThan if reverse else TupleGreaterThan
            queryset = queryset.filter(after(Tuple(*(F(f) for f in _FIELDS)), position))
        rows = list(queryset[: self.page_size + 1])  # one more: is there a page beyond?
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        self.edge = position
        if reverse:
            self.page.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = position is not None, more
        self.display_page_controls = self.template is not None and (self.has_previous or self.has_next)
        return self.page

    def get_next_link(self):
        if not self.has_next:
            return None
        if self.page:
            return self.encode_cursor(Cursor(offset=0, reverse=False, position=self._position(self.page[-1])))
        # An empty page walking back: nothing lies before its edge, so what follows is the first page.
        return remove_query_param(self.base_url, self.cursor_query_param)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        edge = self._position(self.page[0]) if self.page else self.edge
        return self.encode_cursor(Cursor(offset=0, reverse=True, position=edge))

    def encode_cursor(self, cursor):
        updated_at, pk = cursor.position
        tokens = {"p": updated_at.astimezone(datetime.UTC).isoformat(), "i": str(pk)}
        if cursor.reverse:
            tokens["r"] = "1"
        encoded = b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(b64decode(encoded.encode("ascii")).decode("ascii"), keep_blank_values=True)
            updated_at = datetime.datetime.fromisoformat(tokens["p"][0])
            if updated_at.tzinfo is None:
                raise ValueError(updated_at)
            updated_at = updated_at.astimezone(datetime.UTC)
            # A cursor of DRF's own kind (before the keyset) has no id: resume at the start of its updated_at,
            # which repeats a few rows of that instant and skips none.
            pk = tokens.get("i", ["0"])[0]
            if not _ID.fullmatch(pk):
                raise ValueError(pk)
            reverse = tokens.get("r", ["0"])[0]
            if reverse not in ("0", "1"):
                raise ValueError(reverse)
        except (KeyError, TypeError, ValueError, OverflowError):
            # ValueError covers bad base64 (binascii.Error), non-ASCII text and a malformed date.
            raise exceptions.ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        return Cursor(offset=0, reverse=reverse == "1", position=(updated_at, int(pk)))

    @staticmethod
    def _position(item) -> Position:
        if isinstance(item, dict):  # the đề án list reads .values() rows
            return item["updated_at"], item["id"]
        return item.updated_at, item.pk
