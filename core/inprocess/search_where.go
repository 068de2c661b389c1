package inprocess

import (
	"github.com/ocular-lab/ocular/core"
)

// whereBatch bounds the IDs of one prefetch query (SQLite's parameters).
const whereBatch = 500

// prefetchWhere reads, in a few queries, what where would read hit by hit:
// the container links of a page's hits, their containers, and the links
// and containers of those (two levels, as where goes). A page of 200 images
// otherwise cost 200 queries for their dataset links, 10 to 20 ms of a
// search at 1,000,000 images on PostgreSQL. The answers are those where's
// own queries give (links in ID order, unreadable or missing containers as
// nil); on an error it stops, and where reads what is missing itself.
func (d *ctxData) prefetchWhere(objs []*core.Object, wc whereCache) {
	for depth := 0; depth < 2 && len(objs) > 0; depth++ {
		byLink := map[core.Class][]core.ID{}
		for _, o := range objs {
			lc, ok := whereLinks[o.Class]
			if _, known := wc.links[o.ID]; ok && !known {
				byLink[lc] = append(byLink[lc], o.ID)
			}
		}
		var parents []core.ID
		for lc, ids := range byLink {
			for start := 0; start < len(ids); start += whereBatch {
				batch := ids[start:min(start+whereBatch, len(ids))]
				q := core.NewQuery(lc)
				q.Children = batch
				links, err := d.tx.Find(q)
				if err != nil {
					return
				}
				for _, id := range batch {
					wc.links[id] = nil // known: no links
				}
				for _, l := range links {
					wc.links[l.Child] = append(wc.links[l.Child], l)
					if _, known := wc.objects[l.Parent]; !known {
						parents = append(parents, l.Parent)
					}
				}
			}
		}
		objs = objs[:0:0]
		for start := 0; start < len(parents); start += whereBatch {
			batch := parents[start:min(start+whereBatch, len(parents))]
			got, err := d.tx.Objects(batch)
			if err != nil {
				return
			}
			for _, id := range batch {
				if _, known := wc.objects[id]; known {
					continue
				}
				var p *core.Object
				if obj := got[id]; obj != nil && d.actor.CanRead(obj.Owner, d.perm(obj.Group)) {
					p = obj
					objs = append(objs, obj)
				}
				wc.objects[id] = p
			}
		}
	}
}
