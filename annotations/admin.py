from django.contrib import admin

from .models import Annotation, ApiToken, Article, ArticleRevision, EvidenceLink, ReviewEvent


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "source", "published", "near_duplicate_of", "created"]
    search_fields = ["title", "source"]
    readonly_fields = ["content_hash", "created", "revision"]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "created"]
    readonly_fields = ["article", "number", "text", "content_hash", "created"]


class EvidenceInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "author", "verdict", "status", "version", "updated"]
    list_filter = ["verdict", "status", "orphaned", "deleted"]
    search_fields = ["quote", "note"]
    readonly_fields = ["version", "created", "updated"]
    inlines = [EvidenceInline]

    def get_queryset(self, request):
        return Annotation.all_objects.select_related("article", "author")


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """History is append-only: the admin shows it and changes nothing."""

    list_display = ["id", "annotation", "actor", "action", "version", "created"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created", "last_used", "revoked"]
    readonly_fields = ["key_hash", "prefix", "created", "last_used"]
