@echo off
rem Start the shiguang station desk (Windows 10 and later).
rem
rem Double-click this file (or a shortcut to it). It opens the desk in a
rem console window of its own, 100 x 30 cells, with the NSimSun font
rem (Chinese glyphs) and the UTF-8 code page; the database stays in the
rem data folder (%LOCALAPPDATA%\shiguang\data), never in this folder.
rem
rem   shiguang.cmd          the desk in a new window set up as below
rem   shiguang.cmd /here    the desk in this console window as it is
rem                         (Windows Terminal, a window you set up yourself)
rem
rem How the window is set up, and what a script cannot do:
rem  - The console host (conhost) reads the settings of a window from
rem    HKCU\Console\<window title> when it opens a window of that title, so
rem    the settings below apply to the window titled "shiguang desk" only,
rem    for this Windows user; nothing else changes.
rem  - conhost.exe is started by name: where Windows Terminal is the default
rem    terminal (Windows 11), it would otherwise get the window, and Windows
rem    Terminal ignores these settings (it shows Chinese by its own font
rem    fallback, and takes its size from its own settings).
rem  - QuickEdit is off in this window: with it on, a click in the window
rem    starts a selection and the console stops the desk's screen (the clock
rem    too) until Esc. Copying still works from the window menu (Edit, Mark).
rem  - If the font does not take (a Windows without NSimSun, a policy),
rem    right-click the title bar, Properties, Font, and pick NSimSun; conhost
rem    keeps that for this window title. See docs\install.md.
rem
rem This file is ASCII on purpose: cmd.exe reads a script in the console's
rem code page, so Chinese text here would be garbled before chcp runs.

setlocal
set "HERE=%~dp0"
set "TITLE=shiguang desk"

if /i "%~1"=="/here" goto desk
if /i "%~1"=="/in-window" goto window

set "KEY=HKCU\Console\%TITLE%"
rem NSimSun (xin song ti): a fixed-width TrueType font with Chinese glyphs,
rem part of Windows; 54 = TrueType, fixed pitch, modern family.
reg add "%KEY%" /v FaceName /t REG_SZ /d "NSimSun" /f >nul 2>&1
reg add "%KEY%" /v FontFamily /t REG_DWORD /d 54 /f >nul 2>&1
reg add "%KEY%" /v FontWeight /t REG_DWORD /d 400 /f >nul 2>&1
rem font height 18 px (high word), width chosen by the font (low word 0)
reg add "%KEY%" /v FontSize /t REG_DWORD /d 0x00120000 /f >nul 2>&1
reg add "%KEY%" /v CodePage /t REG_DWORD /d 65001 /f >nul 2>&1
rem 100 columns x 30 lines (high word lines, low word columns); the buffer
rem is the window, so there is no scroll bar beside the desk
reg add "%KEY%" /v WindowSize /t REG_DWORD /d 0x001e0064 /f >nul 2>&1
reg add "%KEY%" /v ScreenBufferSize /t REG_DWORD /d 0x001e0064 /f >nul 2>&1
reg add "%KEY%" /v QuickEdit /t REG_DWORD /d 0 /f >nul 2>&1

rem The new window starts in this folder and runs this script by its short
rem (8.3) name: conhost splits its command line into words and joins them
rem again without quotes, so nothing passed through it may hold a space.
if exist "%SystemRoot%\System32\conhost.exe" (
    start "%TITLE%" /d "%~dp0." "%SystemRoot%\System32\conhost.exe" "%ComSpec%" /c %~snx0 /in-window
) else (
    start "%TITLE%" /d "%~dp0." "%ComSpec%" /c %~snx0 /in-window
)
exit /b 0

:window
rem inside the new window: the title again (cmd may have set its own)
title %TITLE%
chcp 65001 >nul
mode con cols=100 lines=30
"%HERE%shiguang.exe"
set "RC=%errorlevel%"
rem a message the desk printed on its way out stays readable
if not "%RC%"=="0" (
    echo.
    echo shiguang ended with an error ^(exit code %RC%^): see the message above.
    pause
)
exit /b %RC%

:desk
chcp 65001 >nul
"%HERE%shiguang.exe"
exit /b %errorlevel%
