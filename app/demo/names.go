package demo

import (
	"fmt"
	"strings"
)

// Scientist is the first and last name a demo user gets.
type Scientist struct{ First, Last string }

// scientists gives the demo users their names. Every first name and every
// last name appears once, so a user is recognisable by either in the user
// switcher; hyphens instead of spaces keep the personal group names
// ("Ada-Lovelace-Group") to one word.
var scientists = []Scientist{
	{"Ada", "Lovelace"}, {"Francis", "Crick"}, {"Rosalind", "Franklin"}, {"Marie", "Curie"},
	{"Charles", "Darwin"}, {"Albert", "Einstein"}, {"Isaac", "Newton"}, {"Galileo", "Galilei"},
	{"Niels", "Bohr"}, {"Lise", "Meitner"}, {"Barbara", "McClintock"}, {"Gregor", "Mendel"},
	{"Louis", "Pasteur"}, {"Alexander", "Fleming"}, {"Dorothy", "Hodgkin"}, {"Rachel", "Carson"},
	{"Nikola", "Tesla"}, {"Michael", "Faraday"}, {"James", "Maxwell"}, {"Emmy", "Noether"},
	{"Alan", "Turing"}, {"Grace", "Hopper"}, {"Camillo", "Golgi"}, {"Robert", "Hooke"},
	{"Max", "Planck"}, {"Erwin", "Schrodinger"}, {"Werner", "Heisenberg"}, {"Richard", "Feynman"},
	{"Chien-Shiung", "Wu"}, {"Katherine", "Johnson"}, {"Jane", "Goodall"}, {"Linus", "Pauling"},
	{"Dmitri", "Mendeleev"}, {"Johannes", "Kepler"}, {"Nicolaus", "Copernicus"}, {"Tycho", "Brahe"},
	{"Carl", "Linnaeus"}, {"Edwin", "Hubble"}, {"Henrietta", "Leavitt"}, {"Vera", "Rubin"},
	{"Paul", "Dirac"}, {"Enrico", "Fermi"}, {"Ernest", "Rutherford"}, {"Srinivasa", "Ramanujan"},
	{"Sophie", "Germain"}, {"Hedy", "Lamarr"}, {"Youyou", "Tu"}, {"Rita", "Levi-Montalcini"},
	{"Gertrude", "Elion"}, {"Heinrich", "Hertz"}, {"Leonhard", "Euler"}, {"Ernst", "Abbe"},
	{"Frits", "Zernike"}, {"Marvin", "Minsky"}, {"Osamu", "Shimomura"}, {"Roger", "Tsien"},
	{"Eric", "Betzig"}, {"Stefan", "Hell"}, {"William", "Moerner"}, {"Martin", "Chalfie"},
	{"Oswald", "Avery"}, {"Hans", "Krebs"}, {"Frederick", "Sanger"}, {"Florence", "Sabin"},
	{"Elizabeth", "Blackburn"}, {"Carol", "Greider"}, {"Jennifer", "Doudna"}, {"Emmanuelle", "Charpentier"},
	{"Kary", "Mullis"}, {"Antonie", "Leeuwenhoek"},
}

// ScientistFor returns the name of demo user i (0-based). Past the end of
// the list, names repeat with a numeral ("Ada Lovelace-2") so every user
// stays unique.
func ScientistFor(i int) Scientist {
	s := scientists[i%len(scientists)]
	if round := i / len(scientists); round > 0 {
		s.Last = fmt.Sprintf("%s-%d", s.Last, round+1)
	}
	return s
}

// PersonalGroupName is the private group each demo user owns.
func PersonalGroupName(s Scientist) string {
	return strings.Join([]string{s.First, s.Last, "Group"}, "-")
}
