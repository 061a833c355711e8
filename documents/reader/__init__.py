"""The plan importer: read a .docx, .pdf, .txt or .md file into the structure of
../shared/contracts/plan-import.md (`extract` → `Source`, `parse` → dict)."""
