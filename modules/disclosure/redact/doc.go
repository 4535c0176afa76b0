// Package redact is the disclosure module's redaction (行政处罚结果信息网上公开暂行办法 Arts. 5 and
// 7; OVERSIGHT.md §1.4): what of a decision's party and facts may be public, and which decisions
// are never published. It is pure: no database, no clock.
//
// Choices the platform made in reading the rules:
//   - A natural person's name is shown; the identity number, address, phone, bank account and
//     health are never public. An organisation's and a 个体工商户's name and USCC are shown
//     (a 个体工商户 is told apart by its USCC: registration code 9, type 2); bank accounts never.
//   - Other natural persons' names in the facts are masked to the surname and 某 (张三 → 张某):
//     the names the reviewer lists, and any name after a word that introduces a person (证人,
//     举报人, 员工 ...). The officers' names are kept: they act for the agency, and their names
//     and certificate numbers are public anyway (事中 disclosure).
//   - Whatever its source, free text loses every 15-to-19-digit run (an identity number, old or
//     new, or a bank card) and every mainland mobile number.
//   - A party under 18 on the day of the act is never published; with no day of the act known,
//     the decision's day is used (the act came before it, so a party under 18 then was under 18
//     at the act).
package redact
