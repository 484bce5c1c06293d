# Kinh phí: models land with the budgets issue.
