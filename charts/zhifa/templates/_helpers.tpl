{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "zhifa.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name: the release name, plus the chart name unless it already contains it. */}}
{{- define "zhifa.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "zhifa.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels; call with (dict "root" $ "component" "api"). */}}
{{- define "zhifa.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zhifa.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{/* Common labels; call with (dict "root" $ "component" "api"), component may be "". */}}
{{- define "zhifa.labels" -}}
helm.sh/chart: {{ include "zhifa.chart" .root }}
{{ include "zhifa.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: zhifa
zhifa.gov.cn/tier: {{ .root.Values.config.deployment.tier }}
{{- end -}}

{{- define "zhifa.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "zhifa.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "zhifa.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret holding the runtime secrets. */}}
{{- define "zhifa.secretName" -}}
{{- default (include "zhifa.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Name of the Secret holding the migration DSN (a hook Secret unless existingSecret is set). */}}
{{- define "zhifa.migrateSecretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- printf "%s-migrate" (include "zhifa.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
Checks that cannot be expressed in values.schema.json. Fails rendering with a
message naming the value to set. Included by every template that needs it, so
the first failure is the same whatever is rendered.
*/}}
{{- define "zhifa.validate" -}}
{{- $c := .Values.config -}}
{{- $s := .Values.secrets -}}
{{- $prod := eq $c.env "production" -}}
{{- if and $prod $c.identity.dev_login -}}
{{- fail "config.identity.dev_login must be false when config.env is production" -}}
{{- end -}}
{{- if not $s.existingSecret -}}
{{- $_ := required "secrets.dbDsn is required (or set secrets.existingSecret to a Secret holding it)" $s.dbDsn -}}
{{- if .Values.migrate.enabled -}}
{{- $_ := required "secrets.dbMigrateDsn is required (or set secrets.existingSecret to a Secret holding it)" $s.dbMigrateDsn -}}
{{- end -}}
{{- if $prod -}}
{{- $_ := required "secrets.secretsKey is required in production (or set secrets.existingSecret to a Secret holding it)" $s.secretsKey -}}
{{- end -}}
{{- if $s.secretsKey -}}
{{- if ne (len (b64dec $s.secretsKey)) 32 -}}
{{- fail "secrets.secretsKey must be the base64 encoding of exactly 32 bytes" -}}
{{- end -}}
{{- end -}}
{{- if $c.delivery.smtp.username -}}
{{- $_ := required "secrets.smtpPassword is required with config.delivery.smtp.username (or set secrets.existingSecret to a Secret holding it)" $s.smtpPassword -}}
{{- end -}}
{{- if $c.delivery.sms.url -}}
{{- $_ := required "secrets.smsToken is required with config.delivery.sms.url (or set secrets.existingSecret to a Secret holding it)" $s.smsToken -}}
{{- end -}}
{{- end -}}
{{- if and $c.delivery.smtp.username (eq $c.delivery.smtp.tls_mode "none") -}}
{{- fail "config.delivery.smtp.tls_mode is none: the SMTP credentials would cross the network in clear; use starttls or tls" -}}
{{- end -}}
{{- end -}}

{{/* zhifa.yaml as rendered into the ConfigMap. */}}
{{- define "zhifa.configYaml" -}}
{{- $c := deepCopy .Values.config -}}
{{- $_ := set $c.http "addr" (printf ":%d" (int .Values.api.containerPort)) -}}
{{- $_ := set $c.jobs "health_addr" (printf ":%d" (int .Values.worker.healthPort)) -}}
{{- toYaml $c -}}
{{- end -}}

{{/* Environment of the long-running containers (API, workers, scheduler). */}}
{{- define "zhifa.runtimeEnv" -}}
{{- $secret := include "zhifa.secretName" . -}}
# The root filesystem is read-only: anything that wants a writable home
# (headless Chromium for PDF rendering) gets the /tmp emptyDir.
- name: HOME
  value: /tmp
- name: ZHIFA_DB_DSN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.dbDsn }}
- name: ZHIFA_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.redisPassword }}
      optional: true
{{- if or .Values.secrets.existingSecret .Values.secrets.secretsKey }}
- name: ZHIFA_SECRETS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.secretsKey }}
{{- end }}
- name: ZHIFA_DELIVERY_SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.smtpPassword }}
      optional: true
- name: ZHIFA_DELIVERY_SMS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.smsToken }}
      optional: true
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Checksums that roll the pods when their configuration changes. */}}
{{- define "zhifa.podChecksums" -}}
checksum/config: {{ include "zhifa.configYaml" . | sha256sum }}
{{- if not .Values.secrets.existingSecret }}
checksum/secret: {{ printf "%s|%s|%s|%s|%s" .Values.secrets.dbDsn .Values.secrets.redisPassword .Values.secrets.secretsKey .Values.secrets.smtpPassword .Values.secrets.smsToken | sha256sum }}
{{- end }}
{{- end -}}

{{/* Volumes shared by every zhifa pod. */}}
{{- define "zhifa.volumes" -}}
- name: config
  configMap:
    name: {{ include "zhifa.fullname" . }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end -}}

{{- define "zhifa.volumeMounts" -}}
- name: config
  mountPath: /etc/zhifa
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end -}}
