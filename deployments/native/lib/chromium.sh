# Chromium: the browser of the front end's end-to-end tests (Debian's package, driven by playwright-core; a browser
# download by Playwright is not possible here). A tool, not a server: installed (group `tools`), never started;
# test/browser/*.test.ts launch it headless.

chromium_install() {
  ensure_apt chromium "chromium" chromium fonts-noto-cjk
  # Screenshots of the 简体中文 pages need CJK glyphs (a machine that had chromium before may lack them).
  [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ] || apt_install chromium-fonts fonts-noto-cjk
}

chromium_path() { command -v chromium; }
