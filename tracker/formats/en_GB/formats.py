"""One way to type a date everywhere: ISO 8601. British day-first input (16/01/2018) reads
as another date elsewhere, so the admin's calendar types YYYY-MM-DD, which the precise date
fields (sources.dates.PreciseDateField) read as a day. Every other format is Django's en_GB."""

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M"]
