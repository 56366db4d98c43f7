"""The Scrapy project: settings, items, the store pipeline and one spider module per source."""
