# For .ci/run, before ./mvnw -B verify: the HTML report's browser check (ReportBrowserTest) needs
# headless Chromium. Installs Debian's chromium package when it is missing and apt-get is usable;
# otherwise the check is skipped with a message saying why.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
    ($SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null) \
      || echo "ci: could not install chromium; the report's browser check will be skipped" >&2
  else
    echo "ci: no apt-get; the report's browser check will be skipped unless chromium is on PATH" >&2
  fi
fi
