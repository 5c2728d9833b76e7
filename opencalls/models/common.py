"""What the open calls' models share."""

MONEY = {"max_digits": 12, "decimal_places": 2}
