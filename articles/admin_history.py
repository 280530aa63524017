"""Article history in the admin: revision diffs and one-click restore (in progress)."""


class ArticleHistoryAdminMixin:
    pass
