"""Reference data from maintained packages: airports (time zones) today; countries and
carriers later. Loaded lazily, once, and cached: the pure readers call these per segment."""

__all__: list[str] = []
