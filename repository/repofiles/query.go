package repofiles

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
)

// SQL adapts a database/sql handle (SQLite) to a Querier.
func SQL(db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) Querier {
	return func(ctx context.Context, query string, each func(scan func(...any) error) error) error {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows.Scan); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

// Pgx adapts a pgx connection or transaction (PostgreSQL) to a Querier.
func Pgx(db interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) Querier {
	return func(ctx context.Context, query string, each func(scan func(...any) error) error) error {
		rows, err := db.Query(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows.Scan); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}
