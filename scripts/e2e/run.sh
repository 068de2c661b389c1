#!/usr/bin/env bash
# End-to-end test of the desktop app: builds bin/ocular and bin/ocular-cli,
# builds the training demo (3 users) into a temporary folder with ocular-cli, starts the real binary
# under Xvfb, logs in as user-1 by typing the password into the login screen,
# opens a project down to an image, clicks another tree row, double-clicks
# the first thumbnail of the grid to open the viewer, moves a channel's window
# and the Z slider there, and saves screenshots into artifacts/e2e/. It fails
# when the app exits early, when no window appears, when the tree never
# shows, when no viewer opens, when the viewer's picture does not follow its
# sliders, when the plate's wells do not show as a grid, when a search
# typed after Ctrl+F (a key-value comparison) finds nothing, when organising
# (new datasets, copy and paste links, the delete review), annotating, the
# account dialogs or moving, duplicating and changing owners fail, or when
# Ctrl+Q does not quit. At the end, when `ocular-cli serve` exists, the
# desktop logs in to it (Server mode, the certificate's trust dialog).
#
# Waits poll for an event (a window, a file, a title) with a deadline; they
# never sleep a fixed time and hope.
#
#   scripts/e2e/run.sh            (make e2e / make test call it)
#   ARTIFACTS=/tmp/shots scripts/e2e/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export PATH=/usr/local/go/bin:$PATH
TAGS="sqlite_fts5 migrated_fynedo"
ART=${ARTIFACTS:-$ROOT/artifacts/e2e}

log() { printf 'e2e: %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

if [[ "${1:-}" != "--inside-x" ]]; then
	for tool in xvfb-run Xvfb xdotool import convert; do
		command -v "$tool" >/dev/null || fail "$tool is missing: run 'make test-deps' (packages xvfb xdotool imagemagick x11-utils)"
	done
	mkdir -p bin "$ART"
	rm -f "$ART"/*.png "$ART"/*.log
	log "building bin/ocular and bin/ocular-cli"
	go build -tags "$TAGS" -o bin/ocular ./cmd/ocular
	go build -tags "$TAGS" -o bin/ocular-cli ./cmd/ocular-cli
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
	# Keep the user's own settings, saved CLI session and default repository out of it.
	export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
	mkdir -p "$HOME"
	"$ROOT/scripts/e2e/seed.sh" "$WORK/repo" >"$WORK/seed.env" 2>"$ART/seed.log" || {
		cat "$ART/seed.log" >&2
		fail "could not build the repository"
	}
	log "starting Xvfb"
	xvfb-run -a -s "-screen 0 1400x900x24 -nolisten tcp" "$0" --inside-x "$WORK"
	log "screenshots in $ART"
	exit 0
fi

# ---- inside the X server -------------------------------------------------
WORK=$2
# shellcheck disable=SC1091
source "$WORK/seed.env" # REPO, USERNAME, PASSWORD, SELECT
READY=$WORK/ready
APPLOG=$ART/ocular.log

# wait_for DESCRIPTION SECONDS COMMAND...: poll COMMAND until it succeeds,
# failing when the deadline passes or the app has exited.
wait_for() {
	local what=$1 secs=$2
	shift 2
	local deadline=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		kill -0 "$APP" 2>/dev/null || { cat "$APPLOG" >&2; fail "the app exited while waiting for $what"; }
		((SECONDS < deadline)) || {
			cat "$APPLOG" >&2
			[[ -f "$READY" ]] && { log "the app's events:"; cat "$READY" >&2; }
			import -window root "$ART/failed.png" 2>/dev/null && log "the screen then: $ART/failed.png"
			fail "no $what after ${secs}s"
		}
		sleep 0.2
	done
}

# shot NAME: a screenshot of the whole screen, taken once the window has
# drawn (the screen is not all black) and two grabs in a row are identical
# (the frame after the last event is on screen).
shot() {
	local out=$ART/$1.png prev="" cur mean i
	for i in $(seq 1 50); do
		import -window root "$WORK/shot.png"
		cur=$(md5sum <"$WORK/shot.png")
		mean=$(convert "$WORK/shot.png" -format '%[fx:mean]' info:)
		if [[ "$cur" == "$prev" ]] && awk -v m="$mean" 'BEGIN { exit !(m > 0.02) }'; then
			mv "$WORK/shot.png" "$out"
			log "saved $out"
			return
		fi
		prev=$cur
	done
	mv "$WORK/shot.png" "$out"
	fail "the screen did not settle on a drawn window for $1 (mean brightness $mean)"
}

title_has() { xdotool getwindowname "$WID" | grep -q -- "$1"; }
# field NAME LINE: the value of NAME=value in an event line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

log "starting bin/ocular as $USERNAME on $REPO"
"$ROOT/bin/ocular" --repo "$REPO" --user "$USERNAME" --select "$SELECT" --ready-file "$READY" >"$APPLOG" 2>&1 &
APP=$!
trap 'kill "$APP" 2>/dev/null || true' EXIT

wait_for "Ocular window" 60 xdotool search --onlyvisible --name '^Ocular'
WID=$(xdotool search --onlyvisible --name '^Ocular' | head -1)

# send_key WINDOW KEY types KEY into WINDOW: focus it and type through XTEST,
# the way a person's keyboard does. (`xdotool key --window` uses
# XSendEvent, which GLFW windows under Xvfb sometimes answer with BadWindow.)
send_key() {
	xdotool windowfocus --sync "$1" 2>/dev/null || xdotool windowactivate --sync "$1" 2>/dev/null || true
	xdotool key --clearmodifiers "$2" || xdotool key --window "$1" "$2"
}
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1400 900 || true
wait_for "login screen" 20 title_has "log in"
shot 01-login

# The username is filled in and the cursor waits in the password field:
# type it as a user would and press Enter.
xdotool windowactivate --sync "$WID" 2>/dev/null || xdotool windowfocus --sync "$WID"
xdotool type --delay 20 "$PASSWORD"
xdotool key Return
wait_for "logged-in window title" 30 title_has "($USERNAME)"
wait_for "data tree" 30 test -f "$READY"
shot 02-browser

# ---- annotations and metadata tabs (ui-annot) ------------------------------
# The image opened by --select is in the details panel: open its Annotations
# tab, add a new tag through the chooser and give it four stars, then open
# the Acquisition tab. The app appends "details tab NAME" when a tab opens,
# "annotations Image:N tags=… rating=…" each time the tab has (re)loaded and
# "metadata Image:N" once the metadata tabs are filled.
wait_for "the image's metadata" 30 grep -q '^metadata Image:' "$READY"
xdotool mousemove --window "$WID" "${ANNOT_TAB_X:-932}" "${TABS_Y:-167}" click 1
wait_for "the Annotations tab" 20 grep -q '^details tab Annotations$' "$READY"
wait_for "the image's annotations" 20 grep -q '^annotations Image:' "$READY"
annotations() { grep '^annotations Image:' "$READY" | tail -1; }
tags0=$(field tags "$(annotations)")
shot a1-annotations
# The fourth star rates the image (before the tag is added: a new tag row
# would move the stars down).
xdotool mousemove --window "$WID" "${STAR4_X:-948}" "${STAR4_Y:-491}" click 1
wait_for "the image rated 4 stars" 20 grep -q '^annotations Image:.* rating=4 ' "$READY"
# "Add tags…" opens the chooser once the group's tags are read, with the
# cursor in its search box: type a new tag's name, Enter creates it.
xdotool mousemove --window "$WID" "${ADD_TAG_X:-867}" "${ADD_TAG_Y:-329}" click 1
wait_for "the tag chooser" 20 grep -q '^tag chooser ' "$READY"
xdotool type --delay 20 "e2e-tag"
shot a2-tag-chooser
xdotool key Return
tagged() { [[ "$(field tags "$(annotations)")" -gt "$tags0" ]]; }
wait_for "the new tag on the image (tags=$tags0 before)" 20 tagged
log "$(annotations)"
shot a3-annotated
xdotool mousemove --window "$WID" "${ACQ_TAB_X:-1035}" "${TABS_Y:-167}" click 1
wait_for "the Acquisition tab" 20 grep -q '^details tab Acquisition$' "$READY"
shot a4-acquisition
xdotool mousemove --window "$WID" "${ORIG_TAB_X:-1158}" "${TABS_Y:-167}" click 1
wait_for "the Original metadata tab" 20 grep -q '^details tab Original metadata$' "$READY"
shot a5-original-metadata
# Back to the General tab, as the steps below expect.
generals() { grep -c '^details tab General$' "$READY" || true; }
general0=$(generals)
xdotool mousemove --window "$WID" "${GENERAL_TAB_X:-842}" "${TABS_Y:-167}" click 1
back_on_general() { (($(generals) > general0)); }
wait_for "the General tab" 20 back_on_general
# Scroll the General tab down to the channel names' pencil and the files.
xdotool mousemove --window "$WID" 1100 600 click --repeat 12 --delay 30 5
shot a6-general-files
xdotool click --repeat 12 --delay 30 4
# ---- end of annotations and metadata tabs -----------------------------------

# Click a row of the tree (the second one: below the first project) and
# check that the details panel changed.
eval "$(xdotool getwindowgeometry --shell "$WID")" # X Y WIDTH HEIGHT
xdotool mousemove --window "$WID" 120 "${CLICK_Y:-173}" click 1
before=$(md5sum <"$ART/02-browser.png")
shot 03-clicked
[[ "$(md5sum <"$ART/03-clicked.png")" != "$before" ]] || fail "clicking the tree changed nothing on screen"

# The grid now shows the dataset clicked: double-click its first thumbnail
# (the grid starts right of the tree, below its header) to open the viewer.
xdotool mousemove --window "$WID" "${THUMB_X:-440}" "${THUMB_Y:-150}" click --repeat 2 --delay 120 1
wait_for "viewer window" 20 xdotool search --onlyvisible --name 'Ocular viewer$'
VID=$(xdotool search --onlyvisible --name 'Ocular viewer$' | head -1)
xdotool windowmove "$VID" 0 0 windowsize "$VID" 1400 900 || true
# The app appends "viewer size=… window=WxH z=… t=… ch1=start-end" to the
# ready file whenever a viewer's picture is on screen with no draw pending.
viewer_lines() { grep '^viewer ' "$READY" || true; }
# A new window may take the size asked for before the toolkit applies its
# own: ask again until the viewer has drawn at 1400x900.
viewer_resized() {
	grep -q '^viewer .* window=1400x900 ' "$READY" && return 0
	xdotool windowmove "$VID" 0 0 windowsize "$VID" 1400 900 >/dev/null 2>&1 || true
	return 1
}
wait_for "viewer picture at 1400x900" 30 viewer_resized
shot 04-viewer
settled=$(viewer_lines | tail -1)
drawn=$(viewer_lines | wc -l)
z0=$(field z "$settled") ch0=$(field ch1 "$settled")
log "viewer settled: $settled"

# Drag channel 1's high thumb to the left (a narrower window: brighter) and
# step the Z slider: the picture must follow.
# The coordinates are those of a 1400x900 viewer with the demo's 4 channels.
xdotool mousemove --window "$VID" "${HIGH_X:-1297}" "${HIGH_Y:-178}" mousedown 1 \
	mousemove --window "$VID" 1250 "${HIGH_Y:-178}" mousemove --window "$VID" "${HIGH_TO_X:-1150}" "${HIGH_Y:-178}" mouseup 1
xdotool mousemove --window "$VID" "${Z_X:-1360}" "${Z_Y:-527}" click 1
# followed: a picture settled since the drag shows another plane and another window.
followed() {
	local line
	while read -r line; do
		[[ "$(field z "$line")" != "$z0" && "$(field ch1 "$line")" != "$ch0" ]] && return 0
	done < <(viewer_lines | tail -n +"$((drawn + 1))")
	return 1
}
wait_for "viewer picture following its window and Z sliders (from z=$z0 ch1=$ch0)" 30 followed
log "viewer settled: $(viewer_lines | tail -1)"
shot 05-viewer-adjusted
# Compare the picture only (left of the controls), not hover highlights.
picture() { convert "$1" -crop 880x880+10+10 +repage rgb:- | md5sum; }
[[ "$(picture "$ART/05-viewer-adjusted.png")" != "$(picture "$ART/04-viewer.png")" ]] ||
	fail "the viewer's picture did not change on screen although it was redrawn"

# Ctrl+W closes the viewer; then open the training screen and select its
# plate: the grid shows every field of the plate.
send_key "$VID" ctrl+w
viewer_gone() { ! xdotool search --onlyvisible --name 'Ocular viewer$'; }
wait_for "the viewer to close" 10 viewer_gone
xdotool mousemove --window "$WID" 18 "${SCREEN_Y:-353}" click 1
# The app appends "tree Screen:N K children" once the branch has loaded.
wait_for "the screen's plates in the tree" 20 grep -q '^tree Screen:' "$READY"
xdotool mousemove --window "$WID" 200 "${PLATE_Y:-393}" click 1

# ---- the plate grid (ui-plate) ----------------------------------------------
# The plate shows as its wells on a lettered and numbered grid. The app
# appends "plate Plate:N R×C W wells" once the layout is read, "plate
# Plate:N field F thumbnails" once every well's thumbnail is drawn, and
# "well Well:N K fields" when a picked well's fields and map are shown.
wait_for "the plate's wells as a grid" 20 grep -q '^plate Plate:[0-9]* 2×3 6 wells$' "$READY"
wait_for "the wells' thumbnails" 30 grep -q '^plate Plate:[0-9]* field 1 thumbnails$' "$READY"
log "$(grep '^plate Plate:' "$READY" | tail -2 | tr '\n' ' ')"
shot 06-plate-grid
# Pick well B2 (row 2, column 2 of the grid): its two fields and their map.
xdotool mousemove --window "$WID" "${WELL_X:-560}" "${WELL_Y:-290}" click 1
wait_for "well B2's fields" 20 grep -q '^well Well:[0-9]* 2 fields$' "$READY"
shot 07-plate-well
# ---- end of the plate grid (ui-plate) ---------------------------------------

# ---- search (ui search) -----------------------------------------------------
# The CLI gives the selected image a key-value table while the app runs;
# Ctrl+F puts the cursor in the search field over the tree (which pushes
# the tree's rows 45 pixels down: the *_Y of tree rows above count it);
# typing a key-value comparison shows the image in the grid with where it
# lives; Escape goes back to the tree's selection.
SEARCH_IMG=${SELECT##*/}
kv=$("$ROOT/bin/ocular-cli" --repo "$REPO" -u "$USERNAME" -w "$PASSWORD" obj new MapAnnotation "mapValue=exposure=150;objective=63x")
"$ROOT/bin/ocular-cli" --repo "$REPO" -u "$USERNAME" -w "$PASSWORD" obj new ImageAnnotationLink "parent=$SEARCH_IMG" "child=$kv" >/dev/null
send_key "$WID" ctrl+f
xdotool type --delay 20 "exposure>100"
wait_for "search results for exposure>100" 20 grep -q '^search [1-9][0-9]* results for exposure>100$' "$READY"
log "$(grep '^search ' "$READY" | tail -1)"
shot 07b-search-results
send_key "$WID" Escape
wait_for "the grid back on the tree's selection" 20 grep -q '^search ended$' "$READY"
# ---- end of search (ui search) ----------------------------------------------

# ---- organise: create, drag, copy-link, delete with a review (BEGIN) -----
# New Dataset "E2E A" from the toolbar; select the first dataset (the
# tree's second row), pick its two thumbnails (a click, then a Ctrl-click)
# and drag them with Ctrl held (link, do not move) onto E2E A's row; copy
# one image's link, New Dataset "E2E B", paste; Up selects E2E A, Delete
# opens the review, which names the other datasets of its images; Delete
# there deletes it. Each step waits for the line the app appends to the
# ready file ("created Dataset:N", "reloaded", "selection 2", "drag 2",
# "linked 2 into Dataset:N", "clipboard 1", "delete review …", "deleted …").
events() { grep -c -- "$1" "$READY" || true; }
# more PATTERN N: more than N lines match PATTERN.
more() { (($(events "$1") > $2)); }
# organise_new NAME: the toolbar's New, then New Dataset…, a name, Enter.
organise_new() {
	local n r
	n=$(events '^created Dataset:') r=$(events '^reloaded$')
	xdotool mousemove --window "$WID" "${NEW_X:-668}" "${NEW_Y:-26}" click 1
	xdotool mousemove --window "$WID" "${NEW_DATASET_X:-695}" "${NEW_DATASET_Y:-98}" click 1
	xdotool type --delay 20 "$1"
	xdotool key Return
	wait_for "the new dataset $1" 20 more '^created Dataset:' "$n"
	# "reloaded": the tree is read again with the new dataset selected.
	wait_for "the tree reloaded with $1" 20 more '^reloaded$' "$r"
}
organise_new "E2E A"
A=$(grep '^created Dataset:' "$READY" | tail -1 | sed 's/^created //')
D0=$(grep -o 'Dataset:[0-9]*' <<<"$SELECT")
n=$(events "^grid $D0 ")
xdotool mousemove --window "$WID" 120 "${CLICK_Y:-173}" click 1
wait_for "the dataset's images in the grid" 20 more "^grid $D0 " "$n"
# A thumbnail takes a double-click: its click lands once the double-click
# delay is over, so wait for it before the next one.
n=$(events '^selection 1$')
xdotool mousemove --window "$WID" "${THUMB_X:-440}" "${THUMB_Y:-150}" click 1
wait_for "a thumbnail selected" 20 more '^selection 1$' "$n"
n=$(events '^selection 2$')
xdotool mousemove --window "$WID" "${THUMB2_X:-580}" "${THUMB_Y:-150}" keydown ctrl click 1 keyup ctrl
wait_for "two thumbnails selected" 20 more '^selection 2$' "$n"
n=$(events '^drag 2$')
xdotool mousemove --window "$WID" "${THUMB_X:-440}" "${THUMB_Y:-150}" keydown ctrl mousedown 1 \
	mousemove --window "$WID" 400 250 mousemove --window "$WID" 200 "${E2EA_Y:-353}" mousemove --window "$WID" 120 "${E2EA_Y:-353}"
wait_for "the drag of two thumbnails" 20 more '^drag 2$' "$n"
shot 07-dragging
n=$(events "^linked 2 into $A\$") r=$(events '^reloaded$') g=$(events "^grid $D0 ")
xdotool mouseup 1 keyup ctrl
wait_for "the two images linked into E2E A" 20 more "^linked 2 into $A\$" "$n"
wait_for "the tree reloaded" 20 more '^reloaded$' "$r"
wait_for "the grid shown again" 20 more "^grid $D0 " "$g"
shot 08-dataset-linked
n=$(events '^selection 1$')
xdotool mousemove --window "$WID" "${THUMB_X:-440}" "${THUMB_Y:-150}" click 1
wait_for "a thumbnail selected" 20 more '^selection 1$' "$n"
n=$(events '^clipboard 1$')
xdotool key ctrl+c
wait_for "one image copied" 20 more '^clipboard 1$' "$n"
organise_new "E2E B"
n=$(events '^linked 1 into Dataset:') r=$(events '^reloaded$')
xdotool key ctrl+v
wait_for "the image linked into E2E B" 20 more '^linked 1 into Dataset:' "$n"
wait_for "the tree reloaded" 20 more '^reloaded$' "$r"
n=$(events '^delete review ')
xdotool key Up Delete
wait_for "the delete review" 20 more '^delete review ' "$n"
review=$(grep '^delete review ' "$READY" | tail -1)
log "$review"
[[ "$review" =~ ([0-9]+)\ kept$ ]] && ((BASH_REMATCH[1] == 2)) ||
	fail "the review of E2E A does not name the other datasets of its two images: $review"
shot 09-delete-review
n=$(events '^deleted ') r=$(events '^reloaded$')
xdotool mousemove --window "$WID" "${CONFIRM_X:-745}" "${CONFIRM_Y:-659}" click 1
wait_for "the delete to finish" 30 more '^deleted ' "$n"
wait_for "the tree reloaded" 20 more '^reloaded$' "$r"
shot 10-deleted
# A right-click low in the tree: the long menu (organising, then Rendering)
# stays inside the window, its heading whole. A click beside it closes it.
n=$(events '^context menu ')
xdotool mousemove --window "$WID" 120 "${ORPHANS_Y:-472}" click 3
wait_for "the context menu" 20 more '^context menu ' "$n"
shot 11-context-menu
xdotool mousemove --window "$WID" 1200 850 click 1
# ---- organise (END) -------------------------------------------------------

log "quitting with Ctrl+Q"
send_key "$WID" ctrl+q
deadline=$((SECONDS + 20))
while kill -0 "$APP" 2>/dev/null; do
	((SECONDS < deadline)) || fail "the app did not quit on Ctrl+Q"
	sleep 0.2
done
wait "$APP" || fail "the app exited with status $?"
trap - EXIT
# ==== BEGIN move-copy-activities (issue 10: Move to Group, Duplicate, Change Owner, Activities) ====
# A second run of the app on the same repository: move user-1's dataset to
# another group through the Move & Copy menu, read the review, watch the
# job finish in Activities and follow its Show link; duplicate the dataset
# with a preset; give it to another member as the group's owner. Every
# step waits on a line the app appends to the ready file ("dialog …",
# "review chgrp …", "job N done: …"). The coordinates are those of a
# 1400x900 window whose dialogs are centred at 640x560: the primary button
# is the rightmost at the dialog's bottom right (override with MC_* vars).
MC_READY=$WORK/ready-move
mc_lines() { grep -c "$1" "$MC_READY" 2>/dev/null || true; }
mc_menu() { # mc_menu Y: open Move & Copy and choose the item at Y
	xdotool mousemove --window "$WID" "${MC_MENU_X:-864}" "${MC_MENU_Y:-26}" click 1
	xdotool mousemove --window "$WID" "${MC_MENU_X:-864}" "$1" click 1
}
mc_ok() { xdotool mousemove --window "$WID" "${MC_OK_X:-1000}" "${MC_OK_Y:-703}" click 1; }
log "move & copy: starting bin/ocular again on ${SELECT%/*}"
"$ROOT/bin/ocular" --repo "$REPO" --user "$USERNAME" --password "$PASSWORD" --select "${SELECT%/*}" --ready-file "$MC_READY" >"$ART/ocular-move.log" 2>&1 &
APP=$!
trap 'kill "$APP" 2>/dev/null || true' EXIT
wait_for "Ocular window (move & copy)" 60 xdotool search --onlyvisible --name '^Ocular —'
WID=$(xdotool search --onlyvisible --name '^Ocular —' | head -1)
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1400 900 || true
wait_for "the selected dataset in the grid" 30 grep -q '^grid Dataset:' "$MC_READY"
# The coordinates below need the window at 1400x900: ask until it is, then
# let the frame settle (shot waits for two identical grabs).
mc_sized() {
	local WIDTH HEIGHT X Y SCREEN WINDOW
	eval "$(xdotool getwindowgeometry --shell "$WID")"
	[[ "$WIDTH" == 1400 && "$HEIGHT" == 900 ]] && return 0
	xdotool windowmove "$WID" 0 0 windowsize "$WID" 1400 900 >/dev/null 2>&1 || true
	return 1
}
wait_for "the window at 1400x900" 20 mc_sized
shot 07-move-start
mc_menu "${MC_MOVE_Y:-61}"
wait_for "the Move to Group dialog" 20 grep -q '^dialog Move to Group' "$MC_READY"
shot 08-move-choose-group
xdotool mousemove --window "$WID" "${MC_GROUP_X:-488}" "${MC_GROUP_Y:-313}" click 1 # the second group listed
mc_ok # Next
wait_for "the move's review" 30 grep -q '^review chgrp ' "$MC_READY"
log "$(grep '^review chgrp ' "$MC_READY" | tail -1)"
shot 09-move-review
mc_ok # Move
wait_for "the move's job to finish" 60 grep -q '^job 1 done: Moved ' "$MC_READY"
log "$(grep '^job 1 ' "$MC_READY")"
grids=$(mc_lines '^grid Dataset:')
xdotool mousemove --window "$WID" "${MC_ACT_X:-1102}" "${MC_ACT_Y:-26}" click 1
shot 10-activities
xdotool mousemove --window "$WID" "${MC_SHOW_X:-458}" "${MC_SHOW_Y:-381}" click 1 # Show
mc_shown() { (($(mc_lines '^grid Dataset:') > grids)); }
wait_for "Show to select the moved dataset in its new group" 30 mc_shown
shot 11-move-shown
mc_menu "${MC_DUP_Y:-140}"
wait_for "the Duplicate dialog" 20 grep -q '^dialog Duplicate' "$MC_READY"
xdotool mousemove --window "$WID" "${MC_PRESET_X:-403}" "${MC_PRESET_Y:-383}" click 1 # Without annotations and ROIs
shot 12-duplicate-options
mc_ok # Review
wait_for "the duplicate's review" 30 grep -q '^review duplicate ' "$MC_READY"
shot 13-duplicate-review
mc_ok # Duplicate
wait_for "the duplicate's job to finish" 60 grep -q '^job 2 done: Duplicated ' "$MC_READY"
xdotool mousemove --window "$WID" "${MC_ROW_X:-120}" "${MC_ROW_Y:-120}" click 1 # the first dataset
mc_menu "${MC_CHOWN_Y:-100}"
wait_for "the Change Owner dialog" 20 grep -q '^dialog Change Owner' "$MC_READY"
xdotool type --delay 20 "${MC_RECIPIENT:-ros}"
xdotool mousemove --window "$WID" "${MC_PICK_X:-480}" "${MC_PICK_Y:-318}" click 1
shot 14-chown-choose
mc_ok # Next
wait_for "the change of owner's review" 30 grep -q '^review chown ' "$MC_READY"
shot 15-chown-review
mc_ok # Change Owner
wait_for "the change of owner's job to finish" 60 grep -q '^job 3 done: Gave ' "$MC_READY"
log "$(grep '^job ' "$MC_READY" | tr '\n' ';')"
send_key "$WID" ctrl+q
deadline=$((SECONDS + 20))
while kill -0 "$APP" 2>/dev/null; do
	((SECONDS < deadline)) || fail "the app did not quit on Ctrl+Q (move & copy)"
	sleep 0.2
done
wait "$APP" || fail "the app exited with status $? (move & copy)"
trap - EXIT
log "move & copy: ok"
# ==== END move-copy-activities ====
log "ok"

# ==== BEGIN block: account menu (ui/admin) ==================================
# user-1, PI of a test group where user-2 commented on user-1's dataset,
# opens User Settings, then the group panel, asks to make the group private
# and reads the loss preview: it must list exactly what the CLI's
# `group perms --dry-run` lists. Nothing is changed (the preview is
# cancelled). Waits on the "admin …" events the app appends to the ready
# file. Coordinates are those of a 1400x900 window (ADMIN_* overrides).
log "account menu: seeding a test group for the downgrade preview"
CLI=("$ROOT/bin/ocular-cli" --repo "$REPO")
as_root=("${CLI[@]}" -u root -w "$PASSWORD")
"${as_root[@]}" group add e2e-downgrade --type read-annotate >/dev/null
"${as_root[@]}" group adduser --name e2e-downgrade user-1 --as-owner >/dev/null
"${as_root[@]}" group adduser --name e2e-downgrade user-2 >/dev/null
# user-1's own group, restored as the default when this block ends.
user1_group=$("${CLI[@]}" -u user-1 -w "$PASSWORD" whoami | sed -n 's/^group: *\(.*\) ([a-z-]*)$/\1/p')
"${CLI[@]}" -u user-1 -w "$PASSWORD" user setdefaultgroup --name e2e-downgrade >/dev/null
e2e_ds=$("${CLI[@]}" -u user-1 -w "$PASSWORD" -g e2e-downgrade obj new Dataset name=e2e-dataset)
e2e_com=$("${CLI[@]}" -u user-2 -w "$PASSWORD" -g e2e-downgrade obj new CommentAnnotation "textValue=seen by user-2")
"${CLI[@]}" -u user-2 -w "$PASSWORD" -g e2e-downgrade obj new DatasetAnnotationLink "parent=$e2e_ds" "child=$e2e_com" >/dev/null
cli_refs=$("${CLI[@]}" -u user-1 -w "$PASSWORD" group perms e2e-downgrade --type private --dry-run |
	grep -o -E '^  [A-Za-z]+:[0-9]+' | tr -d ' ' | sort | tr '\n' ' ' | sed 's/ $//')
[[ -n "$cli_refs" ]] || fail "the CLI's dry run lists nothing to delete in e2e-downgrade"

READY=$WORK/ready-admin
APPLOG=$ART/ocular-admin.log
"$ROOT/bin/ocular" --repo "$REPO" --user user-1 --ready-file "$READY" >"$APPLOG" 2>&1 &
APP=$!
trap 'kill "$APP" 2>/dev/null || true' EXIT
wait_for "Ocular window (account menu)" 60 xdotool search --onlyvisible --name '^Ocular'
WID=$(xdotool search --onlyvisible --name '^Ocular' | head -1)
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1400 900 || true
wait_for "login screen (account menu)" 20 title_has "log in"
xdotool windowactivate --sync "$WID" 2>/dev/null || xdotool windowfocus --sync "$WID"
xdotool type --delay 20 "$PASSWORD"
xdotool key Return
wait_for "data tree (account menu)" 30 grep -q '^ready$' "$READY"
shot 07-account-browser
click() { xdotool mousemove --window "$WID" "$1" "$2" click 1; }
account() { click "${ADMIN_ACCOUNT_X:-1206}" "${ADMIN_ACCOUNT_Y:-28}"; }

account
click "${ADMIN_MENU_X:-1230}" "${ADMIN_SETTINGS_Y:-70}"
wait_for "user settings" 20 grep -q '^admin settings loaded$' "$READY"
shot 08-user-settings
click "${ADMIN_CLOSE_X:-700}" "${ADMIN_SETTINGS_CLOSE_Y:-765}"

account
click "${ADMIN_MENU_X:-1230}" "${ADMIN_GROUP_Y:-106}"
wait_for "group panel on e2e-downgrade" 20 grep -q '^admin group e2e-downgrade ' "$READY"
shot 09-group-panel
click "${ADMIN_LEVEL_X:-700}" "${ADMIN_LEVEL_Y:-262}"        # the level list
click "${ADMIN_LEVEL_X:-700}" "${ADMIN_PRIVATE_Y:-298}"      # private
click "${ADMIN_CHANGE_X:-958}" "${ADMIN_LEVEL_Y:-262}"       # Change…
wait_for "downgrade loss preview" 30 grep -q '^admin level-preview e2e-downgrade ' "$READY"
preview=$(grep '^admin level-preview e2e-downgrade ' "$READY" | tail -1)
log "$preview"
[[ "${preview#*links: }" == "$cli_refs" ]] || fail "the preview lists '${preview#*links: }', the CLI's dry run '$cli_refs'"
shot 10-downgrade-preview

send_key "$WID" ctrl+q
deadline=$((SECONDS + 20))
while kill -0 "$APP" 2>/dev/null; do
	((SECONDS < deadline)) || fail "the app did not quit on Ctrl+Q (account menu)"
	sleep 0.2
done
trap - EXIT
e2e_info=$("${CLI[@]}" -u root -w "$PASSWORD" group info e2e-downgrade)
[[ "$e2e_info" == *type=read-annotate* ]] || fail "reading the preview changed the group: $e2e_info"
"${CLI[@]}" -u user-1 -w "$PASSWORD" user setdefaultgroup --name "$user1_group" >/dev/null
log "account menu ok"
# ==== END block: account menu (ui/admin) ====================================

# ==== BEGIN block: the desktop against a server (issue 11) ==================
# `ocular-cli serve` serves the e2e repository on a free loopback port; the
# desktop opens on it in Server mode (--server), the password is typed, and
# the certificate dialog of a first contact shows the fingerprint the server
# printed ("trust first URL FP" in the ready file). A second launch trusts
# that fingerprint on the command line (--fingerprint, as a script would)
# and shows the browser on the server; the server is stopped (a refresh
# shows the offline banner) and started again (Reconnect brings the tree
# back).
{
	free_port() {
		local p
		for _ in $(seq 1 50); do
			p=$((20000 + RANDOM % 20000))
			(echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
		done
		fail "no free port on 127.0.0.1"
	}
	PORT=$(free_port)
	SERVELOG=$ART/serve.log
	log "server: starting ocular-cli serve on 127.0.0.1:$PORT"
	"$ROOT/bin/ocular-cli" serve --repo "$REPO" --listen "127.0.0.1:$PORT" >"$SERVELOG" 2>&1 &
	SRV=$!
	APP=$SRV # wait_for fails early if the server exits
	APPLOG=$SERVELOG
	trap 'kill "$SRV" 2>/dev/null || true' EXIT
	wait_for "the server's address in $SERVELOG" 60 grep -q 'Serving .* on https://' "$SERVELOG"
	wait_for "the server's fingerprint in $SERVELOG" 10 grep -q 'Certificate fingerprint: SHA256:' "$SERVELOG"
	URL=$(sed -n 's/.*Serving .* on \(https:\/\/[^ ]*\).*/\1/p' "$SERVELOG" | head -1)
	URL=${URL%[.,;]} # a sentence's full stop is not part of the address
	FP=$(sed -n 's/.*Certificate fingerprint: \(SHA256:[0-9a-fA-F]*\).*/\1/p' "$SERVELOG" | head -1)
	log "server: $URL $FP"

	# First launch: the login screen in Server mode, then the trust dialog.
	READY=$WORK/ready-server
	APPLOG=$ART/ocular-server.log
	"$ROOT/bin/ocular" --server "$URL" --user "$USERNAME" --ready-file "$READY" >"$APPLOG" 2>&1 &
	APP=$!
	trap 'kill "$APP" "$SRV" 2>/dev/null || true' EXIT
	wait_for "Ocular window (server)" 60 xdotool search --onlyvisible --name '^Ocular'
	WID=$(xdotool search --onlyvisible --name '^Ocular' | head -1)
	xdotool windowmove "$WID" 0 0 windowsize "$WID" 1400 900 || true
	wait_for "login screen (server)" 20 title_has "log in"
	shot s1-server-login
	xdotool windowactivate --sync "$WID" 2>/dev/null || xdotool windowfocus --sync "$WID"
	xdotool type --delay 20 "$PASSWORD"
	xdotool key Return
	wait_for "the certificate dialog of a first contact" 30 grep -q '^trust first ' "$READY"
	asked=$(grep '^trust first ' "$READY" | tail -1)
	log "server: $asked"
	[[ "$asked" == "trust first $URL $FP" ]] || fail "the trust dialog asks '$asked', the server printed $URL $FP"
	shot s2-server-trust
	send_key "$WID" ctrl+q
	deadline=$((SECONDS + 20))
	while kill -0 "$APP" 2>/dev/null; do
		((SECONDS < deadline)) || fail "the app did not quit on Ctrl+Q (server login)"
		sleep 0.2
	done

	# Second launch: the fingerprint trusted on the command line, logged in,
	# on a project, dataset and image as the tree is now (the move block
	# above gave the first dataset away).
	SELECT_NOW=$("${CLI[@]}" -u "$USERNAME" -w "$PASSWORD" tree | grep -o -E '(Project|Dataset|Image):[0-9]+' | awk '
		/^Project:/ && !p { p = $0; next }
		/^Dataset:/ && p && !d { d = $0; next }
		/^Image:/ && d && !i { i = $0 }
		END { if (i) print p "/" d "/" i }')
	[[ -n "$SELECT_NOW" ]] || fail "user-1 has no project with a dataset of images left"
	READY=$WORK/ready-server-2
	APPLOG=$ART/ocular-server-2.log
	"$ROOT/bin/ocular" --server "$URL" --fingerprint "$FP" --user "$USERNAME" --password "$PASSWORD" \
		--select "$SELECT_NOW" --ready-file "$READY" >"$APPLOG" 2>&1 &
	APP=$!
	wait_for "Ocular window (on the server)" 60 xdotool search --onlyvisible --name '^Ocular'
	WID=$(xdotool search --onlyvisible --name '^Ocular' | head -1)
	xdotool windowmove "$WID" 0 0 windowsize "$WID" 1400 900 || true
	# The login screen says why it failed ("login failed: …"): stop there.
	on_server() {
		grep -q '^login failed: ' "$READY" 2>/dev/null && return 0
		title_has "on $URL"
	}
	wait_for "logged-in window title on $URL" 60 on_server
	if grep -q '^login failed: ' "$READY" 2>/dev/null; then
		shot s3-server-login-failed
		fail "the desktop could not log in to $URL: $(grep '^login failed: ' "$READY" | tail -1)"
	fi
	wait_for "data tree from the server" 60 grep -q '^ready$' "$READY"
	wait_for "the selected image's dataset in the grid" 30 grep -q '^grid Dataset:' "$READY"
	shot s3-server-browser

	# The server stops: a refresh (Ctrl+R) shows the offline banner; the
	# server starts again and Ctrl+R (Reconnect) brings the tree back.
	kill "$SRV" 2>/dev/null || true
	wait "$SRV" 2>/dev/null || true
	send_key "$WID" ctrl+r
	wait_for "the offline banner" 30 grep -q '^offline$' "$READY"
	shot s4-server-offline
	"$ROOT/bin/ocular-cli" serve --repo "$REPO" --listen "127.0.0.1:$PORT" >"$SERVELOG.2" 2>&1 &
	SRV=$!
	trap 'kill "$APP" "$SRV" 2>/dev/null || true' EXIT
	wait_for "the server again" 60 grep -q 'Serving .* on https://' "$SERVELOG.2"
	FP2=$(sed -n 's/.*Certificate fingerprint: \(SHA256:[0-9a-fA-F]*\).*/\1/p' "$SERVELOG.2" | head -1)
	if [[ "$FP2" != "$FP" ]]; then
		log "server: SKIPPED the reconnect: the restarted server has another certificate ($FP2)"
	else
		roots=$(grep -c '^tree root ' "$READY" || true)
		send_key "$WID" ctrl+r
		wait_for "the reconnection" 30 grep -q '^reconnected$' "$READY"
		tree_back() { (($(grep -c '^tree root ' "$READY" || true) > roots)); }
		wait_for "the tree read again after Reconnect" 30 tree_back
		shot s5-server-reconnected
	fi
	send_key "$WID" ctrl+q
	deadline=$((SECONDS + 20))
	while kill -0 "$APP" 2>/dev/null; do
		((SECONDS < deadline)) || fail "the app did not quit on Ctrl+Q (on the server)"
		sleep 0.2
	done
	kill "$SRV" 2>/dev/null || true
	wait "$SRV" 2>/dev/null || true
	trap - EXIT
	log "server ok"
}
# ==== END block: the desktop against a server (issue 11) ====================

# ==== BEGIN block: desktop import (ui/importwin) ============================
# A second run as user-1: the toolbar's Import button opens the Import
# window; the dataset chooser's "New dataset…" takes a name, a generated
# 16-bit TIFF is queued by typing its path, Start imports it, and the tree
# shows the new dataset with its image. The app appends "import window",
# "import queued N problems P", "import entry NAME STATE" and "import
# finished N of M" to the ready file. Coordinates are in a 1400x900 main
# window and a 1000x700 Import window moved to the screen's top left.
IMPORT_BUTTON_X=${IMPORT_BUTTON_X:-597}
IMPORT_BUTTON_Y=${IMPORT_BUTTON_Y:-26}
IMPORT_INTO_X=${IMPORT_INTO_X:-500}
IMPORT_INTO_Y=${IMPORT_INTO_Y:-110}
IMPORT_NEW_DATASET_Y=${IMPORT_NEW_DATASET_Y:-180}
IMPORT_PATH_X=${IMPORT_PATH_X:-400}
IMPORT_PATH_Y=${IMPORT_PATH_Y:-330}
IMPORT_START_X=${IMPORT_START_X:-950}
IMPORT_START_Y=${IMPORT_START_Y:-680}
IMPORT_CLOSE_X=${IMPORT_CLOSE_X:-780}
IMPORT_ACT_X=${IMPORT_ACT_X:-1102}
IMPORT_SHOW_X=${IMPORT_SHOW_X:-458}
IMPORT_SHOW_Y=${IMPORT_SHOW_Y:-381}
e2e_tif=$WORK/e2e-import.tif
convert -size 320x240 gradient:black-white -depth 16 -compress none "$e2e_tif"
READY=$WORK/ready-import
APPLOG=$ART/ocular-import.log
"$ROOT/bin/ocular" --repo "$REPO" --user "$USERNAME" --ready-file "$READY" >"$APPLOG" 2>&1 &
APP=$!
trap 'kill "$APP" 2>/dev/null || true' EXIT
wait_for "Ocular window (import)" 60 xdotool search --onlyvisible --name '^Ocular'
WID=$(xdotool search --onlyvisible --name '^Ocular' | head -1)
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1400 900 || true
wait_for "login screen (import)" 20 title_has "log in"
xdotool windowactivate --sync "$WID" 2>/dev/null || xdotool windowfocus --sync "$WID"
xdotool type --delay 20 "$PASSWORD"
xdotool key Return
wait_for "data tree (import)" 30 grep -q '^ready$' "$READY"
shot i0-import-button
xdotool mousemove --window "$WID" "$IMPORT_BUTTON_X" "$IMPORT_BUTTON_Y" click 1
wait_for "Import window" 20 xdotool search --onlyvisible --name 'Ocular — Import$'
IWID=$(xdotool search --onlyvisible --name 'Ocular — Import$' | head -1)
import_resized() {
	local geo
	xdotool windowmove "$IWID" 0 0 windowsize "$IWID" 1000 700 >/dev/null 2>&1 || true
	geo=$(xdotool getwindowgeometry "$IWID" 2>/dev/null) || return 1
	grep -q 'Geometry: 1000x700' <<<"$geo"
}
wait_for "the Import window at 1000x700" 20 import_resized
wait_for "the Import window's datasets" 20 grep -q '^import targets ' "$READY"
xdotool mousemove --window "$IWID" "$IMPORT_INTO_X" "$IMPORT_INTO_Y" click 1
shot i1-import-into
xdotool mousemove --window "$IWID" "$IMPORT_INTO_X" "$IMPORT_NEW_DATASET_Y" click 1
# The name field takes the focus when "New dataset…" is chosen.
xdotool type --delay 20 "e2e-import"
xdotool mousemove --window "$IWID" "$IMPORT_PATH_X" "$IMPORT_PATH_Y" click 1
xdotool type --delay 5 "$e2e_tif"
xdotool key Return
wait_for "the TIFF queued" 20 grep -q '^import queued 1 problems 0$' "$READY"
shot i2-import-queued
xdotool mousemove --window "$IWID" "$IMPORT_START_X" "$IMPORT_START_Y" click 1
wait_for "the import to finish" 60 grep -q '^import finished ' "$READY"
grep -q '^import entry e2e-import.tif done$' "$READY" || { cat "$READY" >&2; fail "the import did not succeed: $(grep '^import ' "$READY" | tr '\n' ';')"; }
shot i3-import-done
wait_for "the tree reloaded after the import" 30 grep -q '^reloaded$' "$READY"
# Close hides the window (the queue stays for the next time).
xdotool mousemove --window "$IWID" "$IMPORT_CLOSE_X" "$IMPORT_START_Y" click 1
wait_for "the Import window closed" 20 bash -c "! xdotool search --onlyvisible --name 'Ocular — Import\$'"
shot i4-tree-imported
e2e_tree=$("$ROOT/bin/ocular-cli" --repo "$REPO" -u "$USERNAME" -w "$PASSWORD" tree)
grep -q 'e2e-import.tif' <<<"$e2e_tree" || fail "the CLI's tree has no e2e-import.tif after the desktop import"
e2e_ds=$(grep -o -E 'Dataset:[0-9]+ e2e-import' <<<"$e2e_tree" | head -1 | cut -d' ' -f1)
[[ -n "$e2e_ds" ]] || fail "the CLI's tree has no dataset e2e-import"
# The import is in Activities; its Show link selects the image in its
# dataset, whose grid shows it.
xdotool mousemove --window "$WID" "$IMPORT_ACT_X" "$IMPORT_BUTTON_Y" click 1
shot i5-import-activity
xdotool mousemove --window "$WID" "$IMPORT_SHOW_X" "$IMPORT_SHOW_Y" click 1
wait_for "the grid of $e2e_ds" 30 grep -q "^grid $e2e_ds 1 images\$" "$READY"
shot i6-grid-imported
# The imported image is found by a key-value pair given to it afterwards:
# the search index follows every change.
e2e_img=$(grep -o -E 'Image:[0-9]+ e2e-import.tif' <<<"$e2e_tree" | head -1 | cut -d' ' -f1)
[[ -n "$e2e_img" ]] || fail "the CLI's tree has no image e2e-import.tif"
e2e_kv=$("$ROOT/bin/ocular-cli" --repo "$REPO" -u "$USERNAME" -w "$PASSWORD" obj new MapAnnotation "mapValue=e2e_batch=42")
"$ROOT/bin/ocular-cli" --repo "$REPO" -u "$USERNAME" -w "$PASSWORD" obj new ImageAnnotationLink "parent=$e2e_img" "child=$e2e_kv" >/dev/null
send_key "$WID" ctrl+f
xdotool type --delay 20 "e2e_batch>=42"
wait_for "the imported image found by its key-value pair" 20 grep -q '^search 1 results for e2e_batch>=42$' "$READY"
shot i7-search-imported
send_key "$WID" Escape
send_key "$WID" ctrl+q
deadline=$((SECONDS + 20))
while kill -0 "$APP" 2>/dev/null; do
	((SECONDS < deadline)) || fail "the app did not quit on Ctrl+Q (import)"
	sleep 0.2
done
trap - EXIT
log "desktop import ok"
# ==== END block: desktop import (ui/importwin) ==============================
