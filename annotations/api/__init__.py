"""The REST API under /api/v1/: serializers validate shape, services decide."""
