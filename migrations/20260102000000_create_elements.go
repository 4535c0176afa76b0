package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The element databases (要素库): laws and articles, bodies, matters, officers with their
// certificates, and discretion benchmarks. Dates of force are TEXT 'YYYY-MM-DD' on both databases,
// so that comparisons are the same everywhere.
func init() {
	tenantTable("laws", Catalogue)
	tenantTable("articles", Catalogue)
	tenantTable("bodies", Owned)
	tenantTable("matters", Catalogue)
	tenantTable("matter_articles", Catalogue)
	tenantTable("matter_bodies", Catalogue)
	tenantTable("officers", Owned)
	tenantTable("benchmarks", Catalogue)
	tenantTable("benchmark_versions", Catalogue)
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE laws (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				name TEXT NOT NULL,
				short_name TEXT NOT NULL DEFAULT '',
				level TEXT NOT NULL,
				issuer TEXT NOT NULL,
				promulgated_on TEXT NOT NULL,
				effective_from TEXT NOT NULL,
				effective_to TEXT,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, name)
			)`,
			`CREATE TABLE articles (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				law_id TEXT NOT NULL REFERENCES laws(id),
				number TEXT NOT NULL,
				seq INTEGER NOT NULL,
				text TEXT NOT NULL,
				effective_from TEXT NOT NULL,
				effective_to TEXT,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (law_id, number, effective_from)
			)`,
			`CREATE INDEX articles_law_seq ON articles (law_id, seq)`,
			`CREATE TABLE bodies (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				name TEXT NOT NULL,
				code TEXT NOT NULL UNIQUE,
				kind TEXT NOT NULL,
				sector TEXT NOT NULL,
				active BOOLEAN NOT NULL DEFAULT TRUE,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX bodies_tenant ON bodies (tenant_id, name)`,
			`CREATE TABLE matters (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				code TEXT NOT NULL,
				name TEXT NOT NULL,
				kind TEXT NOT NULL,
				sector TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, code)
			)`,
			`CREATE TABLE matter_articles (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				matter_id TEXT NOT NULL REFERENCES matters(id),
				article_id TEXT NOT NULL REFERENCES articles(id),
				PRIMARY KEY (matter_id, article_id)
			)`,
			`CREATE INDEX matter_articles_article ON matter_articles (article_id)`,
			`CREATE TABLE matter_bodies (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				matter_id TEXT NOT NULL REFERENCES matters(id),
				body_id TEXT NOT NULL REFERENCES bodies(id),
				PRIMARY KEY (matter_id, body_id)
			)`,
			`CREATE INDEX matter_bodies_body ON matter_bodies (body_id)`,
			`CREATE TABLE officers (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL REFERENCES bodies(id),
				name TEXT NOT NULL,
				id_number TEXT NOT NULL UNIQUE,
				identity_id TEXT UNIQUE,
				phone TEXT NOT NULL DEFAULT '',
				cert_number TEXT UNIQUE,
				cert_issued_on TEXT,
				cert_expires_on TEXT,
				cert_status TEXT NOT NULL DEFAULT '',
				cert_sectors TEXT NOT NULL DEFAULT '[]',
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX officers_tenant_body ON officers (tenant_id, body_id)`,
			`CREATE TABLE benchmarks (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				matter_id TEXT NOT NULL REFERENCES matters(id),
				title TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, matter_id, title)
			)`,
			`CREATE INDEX benchmarks_matter ON benchmarks (matter_id)`,
			`CREATE TABLE benchmark_versions (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				benchmark_id TEXT NOT NULL REFERENCES benchmarks(id),
				version INTEGER NOT NULL,
				effective_from TEXT NOT NULL,
				items JSONB NOT NULL,
				published_by TEXT NOT NULL,
				published_at TIMESTAMPTZ NOT NULL,
				PRIMARY KEY (benchmark_id, version)
			)`,
		); err != nil {
			return err
		}
		for _, t := range []struct {
			name string
			kind TableKind
		}{
			{"laws", Catalogue}, {"articles", Catalogue}, {"bodies", Owned}, {"matters", Catalogue},
			{"matter_articles", Catalogue}, {"matter_bodies", Catalogue}, {"officers", Owned},
			{"benchmarks", Catalogue}, {"benchmark_versions", Catalogue},
		} {
			if err := rls(ctx, db, t.name, t.kind); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "benchmark_versions", "benchmarks", "officers", "matter_bodies",
			"matter_articles", "matters", "bodies", "articles", "laws")
	})
}
