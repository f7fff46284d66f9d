"""personagraph: warehouse-native identity resolution (dbt project plus Python tooling)."""

__version__ = "0.1.0"
