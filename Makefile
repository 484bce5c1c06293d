# Khuyến công — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= khuyencong.settings.local
# make test runs the suite on this many pytest-xdist workers (one per core; `make test TEST_WORKERS=0` runs it in one
# process). Each worker has its own test database, Celery worker, media folder and Redis keys (docs/DEVELOPING.md).
TEST_WORKERS ?= auto

.PHONY: help install run serve migrate demo province test test-fast lint format bench bench-load check clean messages worker

help:
	@echo "make run    — cài đặt, tạo CSDL, nạp dữ liệu minh họa và chạy tại http://$(HOST):$(PORT)"
	@echo "make test   — chạy toàn bộ kiểm thử"
	@echo "make lint   — ruff; make bench — đo hiệu năng"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' || \
	  { echo "Cần Python 3.11, 3.12 hoặc 3.13 (Need Python 3.11–3.13): sudo apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Thiếu venv (missing venv): sudo apt-get install python3-venv"; exit 1; }
	$(VENV)/bin/pip install -q "uv==$(UV_VERSION)"

# One install path: the lock file, exactly (uv stays in the venv it installed itself into).
install: $(PY)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --python $(PY)
	@$(PY) scripts/check_system.py

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# A deployment for another province, from a clean clone: make province CODE=01
province: migrate
	$(PY) manage.py setup_province $(CODE)

run: demo
	$(PY) manage.py compilemessages --ignore=.venv -v 0 2>/dev/null || true
	@echo "Mở http://$(HOST):$(PORT)/ — Open http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) scripts/check_system.py --for-tests
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=khuyencong.settings.test $(PY) manage.py makemigrations --check --dry-run
	@start=$$(date +%s); status=0; \
	  DJANGO_SETTINGS_MODULE=khuyencong.settings.test $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS) \
	  || status=$$?; took=$$(( $$(date +%s) - start )); \
	  echo "Thời gian chạy bộ kiểm thử (suite wall time): $$((took / 60)) min $$((took % 60)) s, load $$(cut -d' ' -f1-3 /proc/loadavg)"; \
	  exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# make bench (every bench but the load test) · BENCH=pages make bench (one) · make bench-load (bench/load.py:
# gunicorn + a worker + 50 users; needs Redis, CELERY_BROKER_URL). BENCH_SCALE=0.02 for 1/50 of the national data.
BENCH_FILES = $(if $(BENCH),$(foreach b,$(BENCH),bench/$(b).py),$(filter-out bench/load.py,$(wildcard bench/[a-z]*.py)))
bench: install
	@for f in $(BENCH_FILES); do echo "== $$f"; DB_STATEMENT_TIMEOUT_MS=0 $(PY) $$f || exit 1; done

bench-load: install
	$(PY) bench/load.py

worker: install
	$(VENV)/bin/celery -A khuyencong worker -l info

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
