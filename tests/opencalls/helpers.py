"""Helpers shared by the open calls' service tests."""

import datetime as dt
import io

from PIL import Image

UTC = dt.UTC
BRUSSELS = __import__("zoneinfo").ZoneInfo("Europe/Brussels")
# Open Call #1: 1 September 2021 – 1 December 2021, 17:00 CET (= 16:00 UTC).
OC1_OPENS = dt.datetime(2021, 9, 1, 0, 0, tzinfo=BRUSSELS)
OC1_CLOSES = dt.datetime(2021, 12, 1, 17, 0, tzinfo=BRUSSELS)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "navy").save(buffer, format="PNG")
    return buffer.getvalue()
