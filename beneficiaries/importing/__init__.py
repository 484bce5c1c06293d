"""Reading establishment lists from the spreadsheets that really arrive, and turning them into registry rows.

reader: bytes → a table of cells (safety checks, header row, merged cells); cleaning: one cell → one value;
addresses: written address → administrative unit; engine: the preview and the write, shared by the page and
the worker; writer: the write's bulk statements (COPY on PostgreSQL) and the history rows copied server-side.
"""
