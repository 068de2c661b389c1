package importer

import (
	"fmt"
	"os"
	"time"
)

var zzStart = time.Now()

func zzPhase(what string) {
	if os.Getenv("ZZ") != "" {
		fmt.Fprintf(os.Stderr, "%6.1f ms %s\n", float64(time.Since(zzStart).Microseconds())/1000, what)
	}
}
