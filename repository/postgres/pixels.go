package postgres

import (
	"github.com/ocular-lab/ocular/core"
)

func (t *txn) Pixels(image core.ID) (core.PixelsInfo, error) {
	p := core.PixelsInfo{Image: image}
	err := t.tx.QueryRow(t.ctx, `SELECT size_x, size_y, size_z, size_c, size_t, pixel_type, dimension_order,
		physical_x, physical_y, physical_z, time_increment, series, levels FROM pixels WHERE image_id = $1`, int64(image)).Scan(
		&p.SizeX, &p.SizeY, &p.SizeZ, &p.SizeC, &p.SizeT, &p.PixelType, &p.DimensionOrder,
		&p.PhysicalSizeX, &p.PhysicalSizeY, &p.PhysicalSizeZ, &p.TimeIncrement, &p.Series, &p.Levels)
	if errNoRows(err) {
		return p, core.Errorf("", core.NotFound, "Image:%d has no pixels", image)
	}
	return p, dbErr("read pixels", err)
}

func (t *txn) SetPixels(p core.PixelsInfo) error {
	if p.Levels < 1 {
		p.Levels = 1
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO pixels (image_id, size_x, size_y, size_z, size_c, size_t, pixel_type, dimension_order,
		physical_x, physical_y, physical_z, time_increment, series, levels) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (image_id) DO UPDATE SET size_x=excluded.size_x, size_y=excluded.size_y, size_z=excluded.size_z,
		size_c=excluded.size_c, size_t=excluded.size_t, pixel_type=excluded.pixel_type, dimension_order=excluded.dimension_order,
		physical_x=excluded.physical_x, physical_y=excluded.physical_y, physical_z=excluded.physical_z,
		time_increment=excluded.time_increment, series=excluded.series, levels=excluded.levels`,
		int64(p.Image), p.SizeX, p.SizeY, p.SizeZ, p.SizeC, p.SizeT, p.PixelType, p.DimensionOrder,
		p.PhysicalSizeX, p.PhysicalSizeY, p.PhysicalSizeZ, p.TimeIncrement, p.Series, p.Levels)
	return dbErr("save pixels", err)
}

func packColor(c [4]uint8) int64 {
	return int64(c[0])<<24 | int64(c[1])<<16 | int64(c[2])<<8 | int64(c[3])
}

func unpackColor(v int64) [4]uint8 {
	return [4]uint8{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
}

func (t *txn) Channels(image core.ID) ([]core.ChannelInfo, error) {
	rows, err := t.tx.Query(t.ctx, `SELECT idx, name, color, excitation, emission, fluor, lut, stats_min, stats_max
		FROM channel WHERE image_id = $1 ORDER BY idx`, int64(image))
	if err != nil {
		return nil, dbErr("read channels", err)
	}
	defer rows.Close()
	var out []core.ChannelInfo
	for rows.Next() {
		var c core.ChannelInfo
		var color *int64
		var smin, smax *float64
		if err := rows.Scan(&c.Index, &c.Name, &color, &c.ExcitationWavelength, &c.EmissionWavelength, &c.Fluor, &c.LUT, &smin, &smax); err != nil {
			return nil, dbErr("read channels", err)
		}
		if color != nil {
			c.Color, c.HasColor = unpackColor(*color), true
		}
		if smin != nil && smax != nil {
			c.StatsMin, c.StatsMax, c.HasStats = *smin, *smax, true
		}
		out = append(out, c)
	}
	return out, dbErr("read channels", rows.Err())
}

func (t *txn) SetChannels(image core.ID, chs []core.ChannelInfo) error {
	if _, err := t.tx.Exec(t.ctx, "DELETE FROM channel WHERE image_id = $1", int64(image)); err != nil {
		return dbErr("save channels", err)
	}
	for i, c := range chs {
		var color, smin, smax any
		if c.HasColor {
			color = packColor(c.Color)
		}
		if c.HasStats {
			smin, smax = c.StatsMin, c.StatsMax
		}
		if _, err := t.tx.Exec(t.ctx, `INSERT INTO channel (image_id, idx, name, color, excitation, emission, fluor, lut, stats_min, stats_max)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, int64(image), i, c.Name, color, c.ExcitationWavelength, c.EmissionWavelength, c.Fluor, c.LUT, smin, smax); err != nil {
			return dbErr("save channels", err)
		}
	}
	return nil
}

func (t *txn) FilesetEntries(fileset core.ID) ([]core.FilesetEntry, error) {
	return t.filesetEntries("fileset_id = $1", int64(fileset))
}

func (t *txn) FilesetEntriesByClientPath(clientPath string) ([]core.FilesetEntry, error) {
	return t.filesetEntries("client_path = $1", clientPath)
}

func (t *txn) filesetEntries(where string, arg any) ([]core.FilesetEntry, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT fileset_id, idx, client_path, repo_path, size, checksum, transfer FROM fileset_entry WHERE "+where+" ORDER BY fileset_id, idx", arg)
	if err != nil {
		return nil, dbErr("read fileset", err)
	}
	defer rows.Close()
	var out []core.FilesetEntry
	for rows.Next() {
		var e core.FilesetEntry
		var fs int64
		if err := rows.Scan(&fs, &e.Index, &e.ClientPath, &e.RepoPath, &e.Size, &e.Checksum, &e.Transfer); err != nil {
			return nil, dbErr("read fileset", err)
		}
		e.Fileset = core.ID(fs)
		out = append(out, e)
	}
	return out, dbErr("read fileset", rows.Err())
}

func (t *txn) AddFilesetEntry(e core.FilesetEntry) error {
	_, err := t.tx.Exec(t.ctx, "INSERT INTO fileset_entry (fileset_id, idx, client_path, repo_path, size, checksum, transfer) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		int64(e.Fileset), e.Index, e.ClientPath, e.RepoPath, e.Size, e.Checksum, e.Transfer)
	return dbErr("save fileset", err)
}
