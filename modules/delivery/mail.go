package delivery

import "zhifa/modules/kernel/mailer"

// The e-mail channel's client is the kernel's mailer (modules/kernel/mailer); these names keep
// delivery's vocabulary for it.
type (
	// Mailer submits a message to a mail server.
	Mailer = mailer.Mailer
	// Message is an e-mail carrying one document.
	Message = mailer.Message
	// Receipt is a receiving system's acceptance (a mail server's, an SMS gateway's).
	Receipt = mailer.Receipt
	// SendError is a failed submission (e-mail or SMS).
	SendError = mailer.SendError
	// SMTPConfig configures an SMTPMailer.
	SMTPConfig = mailer.SMTPConfig
	// SMTPMailer submits messages to one SMTP server.
	SMTPMailer = mailer.SMTPMailer
	// LogMailer is the embedded default's stand-in for a mail server (development only).
	LogMailer = mailer.LogMailer
)

// NewSMTPMailer returns a mailer for cfg.
func NewSMTPMailer(cfg SMTPConfig) *SMTPMailer { return mailer.NewSMTPMailer(cfg) }
