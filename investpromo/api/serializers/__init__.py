"""Serializers parse and shape; the services validate and write."""
