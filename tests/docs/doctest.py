#!/usr/bin/env python3
"""doctest.py -- run the documentation as written, the way Python's doctest
and Rust's doc tests keep examples true.

    doctest.py readme SRCDIR BUILDDIR [FILE.md]   (default FILE: SRCDIR/README.md)
    doctest.py man    SRCDIR BUILDDIR [PAGE...]   (default: every SRCDIR/man/*.[0-9])
    doctest.py selftest SRCDIR BUILDDIR           (the checks above must fail on
                                                   each broken fixture in tests/docs/)

Markdown conventions (README.md). Every fenced block must say what it is:

  ```c        compiled by this test with cc -std=c11 -Wall -Wextra -Werror
              (plus the build's -fsanitize flags) against the build tree's
              include/dts.h and libdts. A first line /* NAME.c ... */ names the
              file, which is written into the scratch directory for later
              commands. A block with main() must be followed directly by a
              ```console block that runs ./NAME; that block is its shown
              output.
  ```console  "$ command" lines, each followed by the exact output it prints
              (stdout and stderr together, as on a terminal). A command line
              ending in a backslash continues on the next line. A command
              shown without output must print nothing.
  ```sh       commands whose output is not shown: each must exit 0 (blank and
              comment lines are skipped, a trailing backslash continues).
  ```text     not code (diagrams, formats): never run.
  An unlabelled or other block is an error, so nothing is skipped silently.
  A ```sh block that must not run here (it installs packages into the
  system or is the test suite itself) is preceded by the line
      <!-- doctest: skip: REASON -->
  and is reported as SKIPPED with the reason on every run.

Man page conventions. The EXAMPLES (or EXAMPLE) section's .nf/.fi blocks
are commands (roff escapes \\- \\e \\& \\(aq are undone; any other escape
is an error), run in order; '#' lines are comments; a trailing backslash
continues. If a block has lines starting with "$ ", it is in console form
as above and the output shown is compared. Text outside .nf/.fi is prose.
Each page runs in its own scratch directory, in order, so a line may use
what an earlier line of the same page made.

How commands run. In a scratch directory (removed afterwards) holding
copies of examples/, classifiers/ and indicators/ -- the files that ship --
with bash -c under 'set -o pipefail', LC_ALL=C.UTF-8 and TZ=UTC, with
BUILDDIR/tools first on PATH. DTS_CLASSIFIER names the scratch copy of
classifiers/cn-digital-trade.xml, so a machine's older installed classifier
is never used. Commands that show paths are written with relative paths
(e.g. dts-rules explain -r classifiers/cn-digital-trade.xml), so what they
print is what a user sees running them from the source tree; no path in
the output is rewritten except the one below.

The library is installed from BUILDDIR with meson install --destdir into
the scratch directory; pkg-config sees that install through
PKG_CONFIG_PATH, PKG_CONFIG_SYSROOT_DIR (and PKG_CONFIG_SYSTEM_INCLUDE_PATH
so the sysroot's /usr/include is dropped as on a real system), and
LD_LIBRARY_PATH points at its libdir, so "cc prog.c $(pkg-config --cflags
--libs dts)" builds against the installed headers and library as after a
real install. With a sanitizer build, "cc" is a wrapper adding the build's
-fsanitize flags (the library needs their runtime).

The documents show the default prefix /usr/local. With a build configured
for another prefix (a Debian package build: /usr) every command still runs
and is checked, but an output showing /usr/local is reported as NOT
COMPARED, with both prefixes named.

Normalisation of output before the exact comparison: the scratch install
root (the DESTDIR) is removed wherever it appears, so pkg-config prints the
real /usr/local paths; trailing blanks on each line and trailing empty
lines are ignored (Markdown editors strip them).

Exit status: 0, or 1 for dts-reconcile and dts-rules diff, whose manuals
document 1 as "some records differ" / "records changed category": their
examples show differences on purpose (see STATUS_1 below for why the
tools where 1 means "some records were rejected" get no such allowance).
"""
import difflib
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

# Commands allowed to exit 1, with what their manual says 1 means: the tools
# whose examples are about finding differences. dts-classify, dts-aggregate
# and dts-report also exit 1 when "some records were rejected", but no
# example of them may: a reader copying it would lose records without
# noticing (an example of rejection would go in a console block showing it,
# with "|| echo" for the status). Add a tool here only with its manual's words.
STATUS_1 = {
    'dts-reconcile': 'some records differ, were rejected or failed a check (dts-reconcile(1))',
    'dts-rules diff': 'records changed category (dts-rules(1))',
}

# The prefix the documents show (meson's default). A build configured with
# another prefix (a Debian package build uses /usr) still runs every command,
# but an output that shows this prefix is then not compared, and says so.
DEFAULT_PREFIX = '/usr/local'

SKIP_RE = re.compile(r'^<!--\s*doctest:\s*skip:\s*(\S.*?)\s*-->\s*$')
DIRECTIVE_RE = re.compile(r'<!--\s*doctest')


class DocError(Exception):
    """A block that cannot be checked, or does not hold."""


def fail(where, msg):
    raise DocError('%s: %s' % (where, msg))


# --------------------------------------------------------------- environment

class Env:
    def __init__(self, src, build):
        self.src = os.path.abspath(src)
        self.build = os.path.abspath(build)
        self.scratch = tempfile.mkdtemp(prefix='dts-doctest-')
        try:
            self.setup()
        except BaseException:
            self.cleanup()
            raise

    def setup(self):
        opts = {}
        with open(os.path.join(self.build, 'meson-info', 'intro-buildoptions.json')) as f:
            for o in json.load(f):
                opts[o['name']] = o['value']
        self.sanitize = opts.get('b_sanitize', 'none')
        self.sanflags = [] if self.sanitize in ('none', '') else ['-fsanitize=' + self.sanitize]
        self.prefix = opts['prefix']
        self.libdir = os.path.join(self.prefix, opts['libdir'])
        self.cc = shutil.which('cc') or fail('doctest', 'no cc on PATH')
        self.destdir = os.path.join(self.scratch, 'destdir')
        self.install()
        bindir = os.path.join(self.scratch, 'bin')
        os.mkdir(bindir)
        if self.sanflags:
            wrapper = os.path.join(bindir, 'cc')
            with open(wrapper, 'w') as f:
                f.write('#!/bin/sh\n# the build is sanitized: so is everything linked with it\n'
                        'exec %s %s "$@"\n' % (self.cc, ' '.join(self.sanflags)))
            os.chmod(wrapper, 0o755)
        inst_lib = self.destdir + self.libdir
        print('build %s (b_sanitize=%s): tools first on PATH, library installed with '
              'DESTDIR=%s%s' % (self.build, self.sanitize, self.destdir,
                                '; cc adds ' + ' '.join(self.sanflags) if self.sanflags else ''))
        env = dict(os.environ)
        for k in ('PKG_CONFIG_LIBDIR', 'CPATH', 'C_INCLUDE_PATH', 'LIBRARY_PATH', 'CDPATH'):
            env.pop(k, None)
        env.update({
            'PATH': os.pathsep.join([os.path.join(self.build, 'tools'), bindir, env.get('PATH', '/usr/bin:/bin')]),
            'LC_ALL': 'C.UTF-8', 'TZ': 'UTC',
            'PKG_CONFIG_PATH': os.path.join(inst_lib, 'pkgconfig'),
            'PKG_CONFIG_SYSROOT_DIR': self.destdir,
            'LD_LIBRARY_PATH': inst_lib,
        })
        if self.prefix != '/usr':
            # the sysroot's /usr/include is not a system directory to pkgconf;
            # make it one, as /usr/include is on a real system. (With prefix
            # /usr it holds dts.h and must stay.)
            env['PKG_CONFIG_SYSTEM_INCLUDE_PATH'] = self.destdir + '/usr/include'
        self.env = env

    def install(self):
        meson = shutil.which('meson')
        cmd = [meson] if meson else [sys.executable, '-m', 'mesonbuild.mesonmain']
        r = subprocess.run(cmd + ['install', '-C', self.build, '--no-rebuild', '--quiet',
                                  '--destdir', self.destdir],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            fail('doctest', 'meson install --destdir failed:\n' + r.stdout)
        pc = self.destdir + self.libdir + '/pkgconfig/dts.pc'
        if not os.path.isfile(pc):
            fail('doctest', 'meson install did not install ' + pc[len(self.destdir):])

    def workdir(self, name):
        """A fresh copy of the data that ships, to run one document's commands in."""
        work = os.path.join(self.scratch, name)
        os.mkdir(work)
        for d in ('examples', 'classifiers', 'indicators'):
            shutil.copytree(os.path.join(self.src, d), os.path.join(work, d))
        self.env['DTS_CLASSIFIER'] = os.path.join(work, 'classifiers', 'cn-digital-trade.xml')
        return work

    def cleanup(self):
        shutil.rmtree(self.scratch, ignore_errors=True)

    def run(self, cmd, cwd):
        try:
            r = subprocess.run(['bash', '-c', 'set -o pipefail\n' + cmd], cwd=cwd, env=self.env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=600)
        except subprocess.TimeoutExpired:
            return 124, '(timed out after 600 s)\n'
        return r.returncode, r.stdout.decode('utf-8', 'replace')

    def normalise(self, text):
        text = text.replace(self.destdir, '')
        lines = [l.rstrip() for l in text.split('\n')]
        while lines and lines[-1] == '':
            lines.pop()
        return lines

    def compile_c(self, where, path):
        """Compile a C file against the build tree (not the install)."""
        exe = os.path.join(self.scratch, 'cc-' + os.path.basename(path)[:-2])
        cmd = [self.cc, '-std=c11', '-Wall', '-Wextra', '-Werror'] + self.sanflags + [
            '-I' + os.path.join(self.src, 'include'),
            '-I' + os.path.join(self.build, 'include'),   # the generated dts/version.h
            '-o', exe, path,
            '-L' + os.path.join(self.build, 'lib'), '-ldts',
            '-Wl,-rpath,' + os.path.join(self.build, 'lib')]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            fail(where, 'does not compile with %s:\n%s' % (' '.join(cmd[:5]), r.stdout))


def allowed_status(cmd):
    words = re.sub(r'^\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*', '', cmd).split()
    if not words:
        return {0}, ''
    for key in (' '.join(words[:2]), words[0]):
        if key in STATUS_1:
            return {0, 1}, STATUS_1[key]
    return {0}, ''


def check_command(env, work, where, cmd, expected=None):
    """Run one command; check its status and, if expected is given, its output."""
    status, out = env.run(cmd, work)
    ok, why = allowed_status(cmd)
    if status not in ok:
        fail(where, 'exit status %d (allowed: %s) from\n    %s\noutput:\n%s'
             % (status, ' or '.join(map(str, sorted(ok))), cmd.replace('\n', '\n    '), out))
    if expected is not None and env.prefix != DEFAULT_PREFIX and \
            any(DEFAULT_PREFIX in l for l in expected):
        print('%s: output NOT COMPARED: it shows the default prefix %s, this build has %s'
              % (where, DEFAULT_PREFIX, env.prefix))
    elif expected is not None:
        got = env.normalise(out)
        want = [l.rstrip() for l in expected]
        while want and want[-1] == '':
            want.pop()
        if got != want:
            diff = '\n'.join(difflib.unified_diff(want, got, 'shown', 'printed', lineterm=''))
            fail(where, 'output of\n    %s\ndiffers from what the document shows:\n%s'
                 % (cmd.replace('\n', '\n    '), diff))
    note = ' (exit 1: %s)' % why if status == 1 else ''
    return note


def join_continuations(lines, where):
    """Lines -> commands, joining trailing-backslash continuations."""
    cmds, cur = [], None
    for no, line in lines:
        if cur is not None:
            cur[1].append(line)
        elif not line.strip() or line.lstrip().startswith('#'):
            continue
        else:
            cur = (no, [line])
        if not line.endswith('\\'):
            cmds.append((cur[0], '\n'.join(cur[1])))
            cur = None
    if cur is not None:
        fail('%s:%d' % (where, cur[0]), 'command ends in a continuation backslash')
    return cmds


def parse_console(lines, where):
    """[(lineno, text)] in console form -> [(lineno, command, [output lines])]."""
    items = []
    i = 0
    while i < len(lines) and not lines[i][1].strip():
        i += 1
    if i < len(lines) and not lines[i][1].startswith('$ '):
        fail('%s:%d' % (where, lines[i][0]), 'console text must start with a "$ " command line')
    while i < len(lines):
        no, line = lines[i]
        cmd = [line[2:]]
        i += 1
        while cmd[-1].endswith('\\'):
            if i >= len(lines):
                fail('%s:%d' % (where, no), 'command ends in a continuation backslash')
            cmd.append(lines[i][1])
            i += 1
        out = []
        while i < len(lines) and not lines[i][1].startswith('$ '):
            out.append(lines[i][1])
            i += 1
        items.append((no, '\n'.join(cmd), out))
    if not items:
        fail(where, 'console block without a command')
    return items


# --------------------------------------------------------------------- README

def md_blocks(path, rel):
    """Fenced blocks of a Markdown file: (lang, line of the fence, [(lineno, text)], skip reason)."""
    blocks = []
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    i = 0
    prev = ''   # last non-blank line outside blocks
    while i < len(lines):
        line = lines[i]
        m = re.match(r'^(\s*)```(.*)$', line)
        if re.match(r'^\s*~~~', line):
            fail('%s:%d' % (rel, i + 1), '~~~ fence: write code blocks with ``` so they are checked')
        if not m:
            if DIRECTIVE_RE.search(line) and not SKIP_RE.match(line):
                fail('%s:%d' % (rel, i + 1), 'malformed doctest directive: ' + line)
            if line.strip():
                prev = line
            i += 1
            continue
        if m.group(1):
            fail('%s:%d' % (rel, i + 1), 'indented fence: the test cannot tell where it belongs')
        lang, start, body = m.group(2).strip(), i + 1, []
        i += 1
        while i < len(lines) and not re.match(r'^```\s*$', lines[i]):
            body.append((i + 1, lines[i]))
            i += 1
        if i >= len(lines):
            fail('%s:%d' % (rel, start), 'unterminated ``` block')
        i += 1
        sm = SKIP_RE.match(prev)
        blocks.append((lang, start, body, sm.group(1) if sm else None))
        prev = ''
    return blocks


def check_readme(env, path):
    rel = os.path.relpath(os.path.abspath(path), env.src)
    work = env.workdir('readme')
    blocks = md_blocks(path, rel)
    counts = {'c': 0, 'console': 0, 'sh': 0, 'text': 0, 'skipped': 0}
    for k, (lang, start, body, skip) in enumerate(blocks):
        where = '%s:%d' % (rel, start)
        if skip is not None:
            if lang != 'sh':
                fail(where, 'only ```sh blocks may be skipped, not ```' + lang)
            print('%s: sh block SKIPPED (%s)' % (where, skip))
            counts['skipped'] += 1
            continue
        if lang == 'text':
            counts['text'] += 1
            print('%s: text, not code' % where)
        elif lang == 'c':
            src = '\n'.join(l for _, l in body) + '\n'
            m = re.match(r'\s*(?:/\*|//)\s*([A-Za-z0-9_-]+)\.c\b', src)
            name = m.group(1) if m else 'readme-%d' % start
            cpath = os.path.join(work, name + '.c')
            with open(cpath, 'w', encoding='utf-8') as f:
                f.write(src)
            env.compile_c(where + ' (```c ' + name + '.c)', cpath)
            has_main = re.search(r'\bint\s+main\s*\(', src) is not None
            if has_main:
                nxt = blocks[k + 1] if k + 1 < len(blocks) else None
                if (nxt is None or nxt[0] != 'console' or nxt[3] is not None or
                        not re.search(r'(^|\s)\./%s(\s|$)' % re.escape(name),
                                      '\n'.join(l for _, l in nxt[2]), re.M)):
                    fail(where, 'C program %s.c has main() but the next block is not a '
                         '```console block running ./%s with its output' % (name, name))
            counts['c'] += 1
            print('%s: c %s.c compiles (-std=c11 -Wall -Wextra -Werror)%s'
                  % (where, name, ', run by the next block' if has_main else ''))
        elif lang == 'console':
            items = parse_console(body, rel)
            for no, cmd, out in items:
                note = check_command(env, work, '%s:%d' % (rel, no), cmd, out)
                print('%s:%d: $ %s -> output as shown%s'
                      % (rel, no, cmd.split('\n')[0][:70], note))
            counts['console'] += 1
        elif lang == 'sh':
            cmds = join_continuations(body, rel)
            if not cmds:
                fail(where, 'sh block without a command')
            for no, cmd in cmds:
                note = check_command(env, work, '%s:%d' % (rel, no), cmd)
                print('%s:%d: $ %s -> ok%s' % (rel, no, cmd.split('\n')[0][:70], note))
            counts['sh'] += 1
        else:
            fail(where, 'block labelled %r: label it c, console, sh or text (see %s)'
                 % (lang, os.path.relpath(__file__, env.src)))
    for need in ('c', 'console', 'sh'):
        if counts[need] == 0:
            fail(rel, 'no ```%s block found: the document or this test is broken' % need)
    print('%s: %d c, %d console, %d sh blocks checked; %d text blocks; %d skipped'
          % (rel, counts['c'], counts['console'], counts['sh'], counts['text'], counts['skipped']))


# ------------------------------------------------------------------ man pages

ROFF_ESC = {'-': '-', 'e': '\\', '&': '', '\\': '\\', '(aq': "'", '(dq': '"',
            '(ti': '~', '(ha': '^', '(ga': '`'}


def unroff(line, where):
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c != '\\':
            out.append(c)
            i += 1
            continue
        for esc, rep in ROFF_ESC.items():
            if line.startswith(esc, i + 1):
                out.append(rep)
                i += 1 + len(esc)
                break
        else:
            fail(where, 'roff escape %r in an example: the test cannot undo it' % line[i:i + 4])
    return ''.join(out)


def man_examples(path, rel):
    """The command lines of a page's EXAMPLES section: [[(lineno, text)] per .nf block]."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    in_sec, nf, blocks, cur, found = False, False, [], None, False
    for no, line in enumerate(lines, 1):
        if line.startswith('.SH'):
            title = line[3:].strip().strip('"')
            if nf and in_sec:
                fail('%s:%d' % (rel, no), '.nf without .fi in EXAMPLES')
            in_sec = title in ('EXAMPLES', 'EXAMPLE')
            found = found or in_sec
            continue
        if not in_sec:
            continue
        where = '%s:%d' % (rel, no)
        if line.startswith('.\\"'):
            continue
        if not nf:
            if line.startswith('.nf'):
                nf, cur = True, []
            elif line.startswith(('.EX', '.EE')):
                fail(where, '.EX/.EE example: write it between .nf and .fi so it is run')
            elif line.startswith('.'):
                pass   # .PP, .IR ... of prose
            continue
        if line.startswith('.fi'):
            nf = False
            blocks.append(cur)
            continue
        if line.startswith('.') or line.startswith("'"):
            fail(where, 'roff request %r inside an example block' % line)
        cur.append((no, unroff(line, where)))
    if not found:
        fail(rel, 'no EXAMPLES section')
    if nf:
        fail(rel, '.nf without .fi at the end of EXAMPLES')
    return blocks


def check_man(env, path):
    rel = os.path.relpath(os.path.abspath(path), env.src)
    blocks = man_examples(path, rel)
    work = env.workdir(os.path.basename(path))
    n = 0
    for body in blocks:
        if any(l.startswith('$ ') for _, l in body):
            for no, cmd, out in parse_console(body, rel):
                note = check_command(env, work, '%s:%d' % (rel, no), cmd, out)
                print('%s:%d: $ %s -> output as shown%s' % (rel, no, cmd.split('\n')[0][:70], note))
                n += 1
        else:
            for no, cmd in join_continuations(body, rel):
                note = check_command(env, work, '%s:%d' % (rel, no), cmd)
                print('%s:%d: $ %s -> ok%s' % (rel, no, cmd.split('\n')[0][:70], note))
                n += 1
    if n == 0:
        fail(rel, 'EXAMPLES has no command to run')
    print('%s: %d example commands ran' % (rel, n))


# ------------------------------------------------------------------- selftest

def selftest(src, build):
    """Each fixture tests/docs/broken-*.{md,1} holds one defect; each must fail
    with its expected message (the first line of the fixture, after 'expect:')."""
    fixtures = sorted(glob.glob(os.path.join(src, 'tests', 'docs', 'broken-*')))
    if not fixtures:
        print('selftest: no fixtures')
        return 1
    bad = 0
    for fx in fixtures:
        with open(fx, encoding='utf-8') as f:
            first = f.readline()
        m = re.search(r'expect:\s*(.*?)\s*(-->)?\s*$', first)
        if not m:
            print('selftest: %s: first line has no "expect: MESSAGE"' % fx)
            bad += 1
            continue
        mode = 'readme' if fx.endswith('.md') else 'man'
        r = subprocess.run([sys.executable, os.path.abspath(__file__), mode, src, build, fx],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        name = os.path.basename(fx)
        if r.returncode == 0:
            print('selftest: FAIL %s: the check passed on a broken document' % name)
            bad += 1
        elif m.group(1) not in r.stdout:
            print('selftest: FAIL %s: failed, but without "%s":\n%s' % (name, m.group(1), r.stdout))
            bad += 1
        else:
            print('selftest: ok %s fails with "%s"' % (name, m.group(1)))
    return 1 if bad else 0


def main(argv):
    if len(argv) < 4 or argv[1] not in ('readme', 'man', 'selftest'):
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    mode, src, build, files = argv[1], argv[2], argv[3], argv[4:]
    # meson test stops a test that times out with SIGTERM: clean up then too
    signal.signal(signal.SIGTERM, lambda sig, frame: sys.exit(128 + sig))
    if mode == 'selftest':
        return selftest(src, build)
    env = None
    try:
        env = Env(src, build)
        if mode == 'readme':
            check_readme(env, files[0] if files else os.path.join(env.src, 'README.md'))
        else:
            pages = files or sorted(glob.glob(os.path.join(env.src, 'man', '*.[0-9]')))
            if not pages:
                fail('man', 'no man pages found')
            for p in pages:
                check_man(env, p)
    except DocError as e:
        print('FAIL ' + str(e))
        return 1
    finally:
        if env:
            env.cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
