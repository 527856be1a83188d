from ninja import NinjaAPI

api = NinjaAPI(title="Amends API", version="1", docs_url="/docs")
