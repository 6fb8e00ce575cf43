"""Turn the services' exceptions into JSON answers: 400, 403, 404, 409, 413, 422.

400 is a request that does not match the schema; 422 one that does but does not fit the
stored data or a rule joining two fields (services.Unprocessable)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations import services

from .conditional import PreconditionFailed


def validation_body(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {"detail": " ".join(exc.messages)}


def conflict_body(exc: services.Conflict) -> dict:
    body = {"detail": exc.message, "current_version": exc.current_version}
    if exc.status:
        body["status"] = exc.status
    return body


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "The request body is too large."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, PreconditionFailed):
        body = {"detail": str(exc.detail), "current_version": exc.current_version}
        return Response(body | {"status": exc.status}, status=exc.status_code)
    if isinstance(exc, services.Conflict):
        return Response(conflict_body(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, services.Unprocessable):
        return Response(validation_body(exc), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ObjectDoesNotExist):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
