"""What the API's views share."""

# The change log's `source` for every write made through the API.
VIA = "api"
