#!/bin/sh
# Start the shiguang station desk from this folder (Linux).
#
#   ./shiguang.sh            the desk (any option of shiguang works too)
#
# Before the desk opens it checks what would spoil the screen and says so:
# a terminal smaller than 80 x 24 (it asks the terminal to grow first: most
# X11/VTE terminals do, a maximised or tiled window does not), a locale that
# is not UTF-8, the Linux text console (its font has no Chinese glyphs), and
# no font with Chinese glyphs installed (when fontconfig can tell). These are
# warnings: the desk still opens, and says itself when the window is too
# small. The database is in the data folder (~/.local/share/shiguang), never
# in this folder, so replacing this folder with a newer version keeps it.
here=$(dirname "$(readlink -f "$0")")
warn() { printf 'shiguang: %s\n' "$*" >&2; }
COLS=80
LINES_MIN=24

size() { stty size </dev/tty 2>/dev/null; }
if [ -t 1 ] && [ -r /dev/tty ]; then
    s=$(size)
    rows=${s% *}
    cols=${s#* }
    if [ -n "$s" ] && { [ "$cols" -lt "$COLS" ] || [ "$rows" -lt "$LINES_MIN" ]; }; then
        # xterm's window-size request (CSI 8 ; rows ; cols t): 100 x 30
        printf '\033[8;30;100t' >/dev/tty
        sleep 0.3 2>/dev/null || sleep 1
        s=$(size)
        rows=${s% *}
        cols=${s#* }
        if [ -n "$s" ] && { [ "$cols" -lt "$COLS" ] || [ "$rows" -lt "$LINES_MIN" ]; }; then
            warn "终端只有 ${cols}×${rows}，请放大到至少 ${COLS}×${LINES_MIN} / the terminal is ${cols}x${rows}: make it at least ${COLS}x${LINES_MIN}"
        fi
    fi
fi

case "$(locale charmap 2>/dev/null)" in
    UTF-8 | utf8) ;;
    *)
        # a UTF-8 locale for this run if the system has one
        for l in zh_CN.UTF-8 zh_CN.utf8 C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
            if locale -a 2>/dev/null | grep -qx "$l"; then
                LC_ALL=$l
                export LC_ALL
                break
            fi
        done
        warn "区域设置不是 UTF-8，中文可能显示不正确（LC_ALL=${LC_ALL:-未设}）/ the locale is not UTF-8 (using LC_ALL=${LC_ALL:-unset}): set LANG=zh_CN.UTF-8"
        ;;
esac

if [ "${TERM:-}" = linux ]; then
    warn "Linux 文本控制台无法显示汉字，请在图形终端中运行 / the Linux text console cannot show Chinese: run this in a graphical terminal"
fi

if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then
    warn "没有找到中文字体（如 apt install fonts-noto-cjk）/ no font with Chinese glyphs found (e.g. apt install fonts-noto-cjk)"
fi

exec "$here/shiguang" "$@"
