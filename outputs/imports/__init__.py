"""Readers of bibliographic files besides BibTeX (CSL-JSON, DataCite and Zenodo JSON, DataCite
XML, a list of DOIs looked up online) and the DOI lookup. Each turns its input into the same
``Candidate`` entries as the BibTeX reader, which ``services.outputs_import`` previews and
commits; nothing here writes."""
