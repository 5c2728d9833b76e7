"""What one output record becomes for the open-science infrastructure: DataCite metadata, the
OpenAIRE Literature Guidelines v4 profile, formatted citations and the AI-on-demand catalogue.
Pure functions of records loaded by ``selectors.with_relations``: nothing here writes."""
