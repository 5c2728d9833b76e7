"""Tabular exports (CSV and Excel) for managers' lists."""

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value):
    """Stop spreadsheet formula injection: text starting with = + - @ is shown as text."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return "" if value is None else value


def csv_response(headers: Sequence[str], rows: Iterable[Sequence], *, filename: str):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that Excel opens UTF-8 correctly
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow([_safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, title: str):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_excel_value(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def _excel_value(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no timezones: write the time as the person exporting sees it.
        return timezone.localtime(value).replace(tzinfo=None)
    return _safe_cell(value)


def tabular_response(fmt: str, headers, rows, *, filename: str, title: str = "Export"):
    """``fmt`` is "csv" or "xlsx"."""
    if fmt == "xlsx":
        return xlsx_response(headers, rows, filename=filename, title=title)
    return csv_response(headers, rows, filename=filename)
