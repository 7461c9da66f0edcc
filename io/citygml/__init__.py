"""CityGML family: CityGML 1.0 / 2.0 / 3.0 (read) and 2.0 / 3.0 (write)."""
