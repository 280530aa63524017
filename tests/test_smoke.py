from .factories import ArticleFactory


def test_article_page_renders(client, db):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
