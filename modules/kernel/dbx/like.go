package dbx

import "strings"

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Contains returns the LIKE pattern of the strings that contain s, s's own '%', '_' and '\'
// matched as themselves: write the condition as `col LIKE ? ESCAPE '\'` (both databases).
func Contains(s string) string { return "%" + likeEscaper.Replace(s) + "%" }
