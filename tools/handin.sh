#!/bin/sh
# make handin: package your committed work as handin.tar.gz for submission.
# Only committed files are handed in, exactly as `git archive HEAD` sees them.
top=$(git rev-parse --show-toplevel 2>/dev/null) || {
	echo "handin: this is not a git checkout; clone the lab repository and work in it" >&2
	exit 1
}
cd "$top" || exit 1
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "handin: you have uncommitted changes; commit them first:" >&2
	echo "  git commit -am 'lab work'   (then make handin again)" >&2
	exit 1
fi
untracked=$(git status --porcelain | sed -n 's/^?? //p')
if [ -n "$untracked" ]; then
	echo "handin: warning: these untracked files are NOT handed in (git add them if needed):"
	echo "$untracked" | sed 's/^/  /'
fi
branch=$(git rev-parse --abbrev-ref HEAD)
commit=$(git rev-parse --short HEAD)
git archive --format=tar.gz --prefix=handin/ -o handin.tar.gz HEAD || exit 1
echo "handin: wrote handin.tar.gz (branch $branch, commit $commit)."
echo "Upload handin.tar.gz, as it is, where your course collects submissions (on Gradescope:"
echo "the lab's assignment, as a file upload); handouts/grading.md section 7 says how it is graded."
