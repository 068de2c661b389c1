package postgres_test

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
	"github.com/ocular-lab/ocular/internal/searchbench"
	"github.com/ocular-lab/ocular/repository/postgres"
)

// BenchmarkSearchPostgres is core/inprocess's BenchmarkSearch1M on
// PostgreSQL: the same repository of images with tags, key-value pairs and
// comments, the same queries, as a member of the group who owns none of
// them. OCULAR_SEARCH_BENCH_IMAGES sets the size (default 20,000, so that
// a run without it stays short; issue 13's target is 1,000,000). It reports
// the size of the search index (search_text and search_kv with their
// indexes). The database is vacuumed and analysed after loading, as
// autovacuum does on a running server.
func BenchmarkSearchPostgres(b *testing.B) {
	ctx := context.Background()
	svc, st, rootPW := newServiceStore(b)
	g, member := searchbench.Fill(b, svc, st, rootPW, searchbench.Size(20_000))
	reportPostgresIndexSize(b, st)
	me, err := member.Me(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range searchbench.Queries {
		b.Run(q, func(b *testing.B) { searchbench.Search(b, member, q) })
		// The store's query alone, without the use case's work per hit
		// (where it lives, the read rule again): the index's share.
		terms, err := searchquery.Parse(q)
		if err != nil {
			b.Fatal(err)
		}
		spec := core.SearchSpec{Terms: terms.Terms, All: []core.ID{g}, Me: me.User.ID, Owner: core.AnyID, Group: core.AnyID, Limit: 200}
		b.Run("store/"+q, func(b *testing.B) {
			var hits int
			for b.Loop() {
				err := st.Read(ctx, func(tx core.Tx) error {
					objs, err := tx.Search(spec)
					hits = len(objs)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(hits), "results")
		})
	}
}

// reportPostgresIndexSize vacuums and analyses the database (as autovacuum
// would after a load this size) and logs how much of it the search index
// takes: the tables search_text and search_kv with their indexes.
func reportPostgresIndexSize(b *testing.B, st *postgres.Store) {
	ctx := context.Background()
	if _, err := st.Pool().Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	var db, index int64
	err := st.Pool().QueryRow(ctx, `SELECT pg_database_size(current_database()),
		pg_total_relation_size('search_text') + pg_total_relation_size('search_kv')`).Scan(&db, &index)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("database %.1f MB, of which the search index %.1f MB", float64(db)/1e6, float64(index)/1e6)
}
