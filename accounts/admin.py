"""People in the admin: editable (passwords, active and staff flags), on Django's own forms.

Profile changes (name, language) go through ``accounts.services.user_update_profile``,
the one path that writes them; the other fields are saved as Django's user admin does.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User

PROFILE_FIELDS = ("full_name", "preferred_language")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": list(PROFILE_FIELDS)}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # The form has already put every change on ``obj``; the service saves the profile
        # part, and only the other changed columns are saved here (groups are saved later,
        # by save_related, and the password by its own form).
        if set(PROFILE_FIELDS) & set(form.changed_data):
            services.user_update_profile(
                user=obj, full_name=obj.full_name, preferred_language=obj.preferred_language
            )
        columns = {field.name for field in obj._meta.concrete_fields}
        others = [name for name in form.changed_data if name in columns - set(PROFILE_FIELDS)]
        if others:
            obj.save(update_fields=others)
