"""Production settings and the compose file, checked offline (no Docker engine runs here)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# What compose gives the containers, apart from the secret.
RUNTIME_ENV = {
    "CELERY_BROKER_URL": "redis://redis:6379/0",
    "CACHE_URL": "redis://redis:6379/1",
    "EMAIL_URL": "smtp+tls://kc:secret@mail.example.gov.vn:587",
}


def _manage(*args, env_extra):
    # The runtime variables come only from env_extra: CI's own CELERY_BROKER_URL must not hide a missing one.
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", *RUNTIME_ENV)
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "khuyencong.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_cleanly():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "khuyencong.haiphong.gov.vn",
            **RUNTIME_ENV,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_extra=RUNTIME_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _manage("check", env_extra={"SECRET_KEY": "short", **RUNTIME_ENV})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_compose_file_is_valid_against_the_compose_spec():
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_every_service_from_one_image_with_healthchecks():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat", "backup", "proxy", "minio", "minio-bucket"}
    assert {services[name]["image"] for name in ("web", "worker", "beat", "backup")} == {"khuyencong:latest"}
    backup = services["backup"]
    assert backup["command"][:4] == ["python", "manage.py", "backup", "--nightly-at"]
    assert "backups:/app/backups" in backup["volumes"] and "media:/app/media" in backup["volumes"]
    assert backup["environment"]["BACKUP_KEEP_DAYS"] and backup["environment"]["DATABASE_URL"].startswith("postgres://")
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert {"pgdata", "media", "backups"} <= set(compose["volumes"])


def _without(name: str) -> dict:
    return {"SECRET_KEY": secrets.token_urlsafe(64), **{k: v for k, v in RUNTIME_ENV.items() if k != name}}


def test_production_refuses_to_start_without_a_broker():
    result = _manage("check", env_extra=_without("CELERY_BROKER_URL"))
    assert result.returncode != 0
    assert "CELERY_BROKER_URL" in result.stderr


def test_production_refuses_the_console_and_dummy_mail_backends():
    for url in ("consolemail://", "dummymail://"):
        result = _manage("check", env_extra={**_without("EMAIL_URL"), "EMAIL_URL": url})
        assert result.returncode != 0, url
        assert "EMAIL_URL" in result.stderr
    assert _manage("check", env_extra=_without("EMAIL_URL")).returncode != 0  # default: console


def test_production_refuses_a_per_process_cache():
    result = _manage("check", env_extra=_without("CACHE_URL"))
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_the_dockerfile_build_steps_run_under_production_settings(tmp_path):
    """The image's collectstatic (manifest storage: every referenced asset must exist) and compilemessages."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    build_env = dict(
        pair.split("=", 1) for pair in re.search(r'^ARG BUILD_ENV="([^"]+)"', dockerfile, re.M).group(1).split()
    )
    assert "python manage.py collectstatic --noinput" in dockerfile
    assert "python manage.py compilemessages" in dockerfile
    env = {**build_env, "SECRET_KEY": "build-only-" + secrets.token_urlsafe(48), "STATIC_ROOT": str(tmp_path)}
    collected = _manage("collectstatic", "--noinput", env_extra=env)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest and "js/app.js" in manifest
    compiled = _manage("compilemessages", "--ignore=.venv", "-v", "0", env_extra=env)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    assert (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.mo").stat().st_size > 0


def test_only_the_proxy_is_published_and_it_forwards_to_gunicorn_with_tls():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["image"].startswith("caddy:")
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    assert services["web"]["expose"] == ["8000"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy {$CADDY_UPSTREAM:web:8000}" in caddyfile  # compose's default; the Caddy test moves it
    assert "tls {$CADDY_TLS:internal}" in caddyfile
    # A forwarded header from a client is never believed: Caddy trusts no upstream proxy.
    assert "trusted_proxies" not in caddyfile
    assert services["web"]["environment"]["EMAIL_URL"].startswith("${EMAIL_URL:?")


def test_the_proxy_header_is_trusted_only_in_production():
    from django.conf import settings

    assert settings.SECURE_PROXY_SSL_HEADER is None
    assert settings.TRUST_PROXY_HEADERS is False
    production = (ROOT / "khuyencong" / "settings" / "production.py").read_text()
    assert 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")' in production
    assert "only the Caddy proxy" in production or "but the Caddy proxy" in production


def test_compose_offers_minio_as_an_optional_private_media_store():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    minio, bucket = services["minio"], services["minio-bucket"]
    # Only with `--profile s3`: a plain `docker compose up` starts neither.
    assert minio["profiles"] == ["s3"] and bucket["profiles"] == ["s3"]
    assert not minio.get("ports") and "healthcheck" in minio
    assert "miniodata:/data" in minio["volumes"] and "miniodata" in compose["volumes"]
    assert minio["environment"]["MINIO_ROOT_USER"] == "${S3_ACCESS_KEY_ID:-khuyencong}"
    # The bucket job makes the bucket private; the app waits for it only when the profile is on.
    script = bucket["entrypoint"][-1]
    assert "mc mb --ignore-existing" in script and "mc anonymous set none" in script
    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat", "backup"):
        env = services[name]["environment"]
        assert env["MEDIA_STORAGE"] == "${MEDIA_STORAGE:-filesystem}", name
        assert env["S3_ENDPOINT_URL"] == "${S3_ENDPOINT_URL:-http://minio:9000}", name
        assert {"S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_REGION"} <= set(env), name
        wait = services[name]["depends_on"]["minio-bucket"]
        assert wait == {"condition": "service_completed_successfully", "required": False}, name


def test_production_settings_switch_media_to_a_private_s3_bucket():
    result = _manage(
        "shell",
        "-c",
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.file_overwrite)",
        env_extra={
            "SECRET_KEY": secrets.token_urlsafe(64),
            **RUNTIME_ENV,
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": "kc-media",
            "S3_ENDPOINT_URL": "http://minio:9000",
        },
    )
    assert result.returncode == 0, result.stderr
    # The last line: Django 5.2's shell may first say how many objects it imported.
    assert result.stdout.strip().splitlines()[-1].split() == [
        "S3Storage",
        "kc-media",
        "http://minio:9000",
        "None",
        "False",
    ]
    wrong = _manage("check", env_extra={"SECRET_KEY": secrets.token_urlsafe(64), **RUNTIME_ENV, "MEDIA_STORAGE": "ftp"})
    assert wrong.returncode != 0 and "MEDIA_STORAGE" in wrong.stderr
