package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// BenchmarkZarrChunk is one 512² uint16 chunk of level 0 over loopback
// HTTP, from request to the last byte.
func BenchmarkZarrChunk(b *testing.B) {
	f := newZarrFixture(b)
	ts := httptest.NewServer(f.handler())
	defer ts.Close()
	url := ts.URL + "/zarr/v1/images/" + strconv.FormatInt(int64(f.image.ID), 10) + "/0/0/1/0/0/0"
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set(wire.SessionHeader, f.ada.Key())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.Status)
		}
	}
}
