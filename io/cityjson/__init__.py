"""CityJSON family: CityJSON 1.0-2.0 files and CityJSONSeq streams (read and write)."""
