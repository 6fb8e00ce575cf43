"""The admin shows articles, annotations, evidence and history, and changes none of them:
every such change has a rule (policy) and an event (services), which only the workbench
and the API apply. Users, groups and API tokens stay manageable here."""

from django.contrib import admin, messages

from . import services
from .models import Annotation, ApiToken, Article, ArticleRevision, EvidenceLink, ReviewEvent


class NoWrites:
    """View only, for superusers too: no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    def get_actions(self, request):
        return {}  # not even "delete selected"


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    can_delete = False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "source", "published", "near_duplicate_of", "revision"]
    search_fields = ["title", "source"]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdmin):
    list_display = ["article", "number", "created"]


class EvidenceInline(ReadOnlyInline):
    model = EvidenceLink


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["id", "article", "author", "verdict", "status", "version", "updated"]
    list_filter = ["verdict", "status", "orphaned", "deleted"]
    search_fields = ["quote", "note"]
    inlines = [EvidenceInline]

    def get_queryset(self, request):
        return Annotation.all_objects.select_related("article", "author")


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(ReadOnlyAdmin):
    list_display = ["id", "annotation", "url", "title"]


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    """History is append-only."""

    list_display = ["id", "annotation", "actor", "action", "version", "created"]
    list_filter = ["action"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Keys are made by `manage.py create_api_token` (shown once); here they are listed,
    renamed and revoked."""

    list_display = ["prefix", "user", "name", "created", "last_used", "revoked"]
    fields = ["prefix", "user", "name", "created", "last_used", "revoked"]
    readonly_fields = ["prefix", "user", "created", "last_used", "revoked"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = sum(
            services.api_token_revoke(prefix=token.prefix, user=token.user)
            for token in queryset.filter(revoked__isnull=True).select_related("user")
        )
        self.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)
