package delivery

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// CaseDocuments is delivery's DocumentSource over the documents module (the PDFs, and issuing) and
// the case engine (the document a case's steps issued of a kind); nil without a documents module.
func CaseDocuments(docs *documents.Service, cs *cases.Service) DocumentSource {
	if docs == nil {
		return nil
	}
	return caseDocuments{docs: docs, cases: cs}
}

// caseDocuments serves delivery the PDFs of issued documents, and the document a step issued when
// a delivery asks for one by kind.
type caseDocuments struct {
	docs  *documents.Service
	cases *cases.Service
}

// PDF returns an issued document's signed PDF with its name, number and case. documents.read
// (every staff role, the tasks' tenant operator included). Returns NotFound.
func (d caseDocuments) PDF(ctx context.Context, sc tenants.Scope, documentID string) ([]byte, DocumentInfo, error) {
	pdf, doc, err := d.docs.PDF(ctx, sc, documentID)
	if err != nil {
		return nil, DocumentInfo{}, err
	}
	title := doc.Type.Name()
	name := title
	if doc.Number != "" {
		name = doc.Number
	}
	return pdf, DocumentInfo{ID: doc.ID, CaseID: doc.CaseID, Kind: string(doc.Type), Title: title, Number: doc.Number,
		FileName: name + ".pdf", IssuedAt: doc.IssuedAt}, nil
}

// IssueFor returns the case's document of kind to serve: the latest one its steps issued; when
// there is none, one issued now in tx, for a scope that may issue documents (an officer asking
// delivery to serve it). The delivery tasks' scope may not issue: for them a missing document is
// FailedPrecondition. Returns NotFound (no such case), Invalid (unknown kind), FailedPrecondition
// (the case's facts cannot fill the document, naming the items).
func (d caseDocuments) IssueFor(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID, kind string) (string, error) {
	typ, ok := documents.TypeFor(kind)
	if !ok {
		return "", errs.E(errs.Invalid, "未知文书种类", "unknown document kind").WithFields(errs.Field("document", "未知："+kind, "unknown: "+kind))
	}
	id, err := d.cases.LatestDocument(ctx, tx, sc, caseID, typ)
	if err != nil || id != "" {
		return id, err
	}
	if !sc.Can(authz.DocumentsIssue) {
		return "", errs.E(errs.FailedPrecondition, fmt.Sprintf("本案尚未签发%s，须由执法人员签发后送达", typ.Name()),
			fmt.Sprintf("the case has no %s issued: an officer issues it first", typ))
	}
	doc, err := d.docs.Issue(ctx, tx, sc, documents.IssueRequest{CaseID: caseID, Type: typ})
	if err != nil {
		return "", err
	}
	return doc.ID, nil
}
