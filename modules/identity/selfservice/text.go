package selfservice

import (
	"fmt"
	"strings"
	"time"

	"zhifa/modules/kernel/civil"
)

// zhText holds the Chinese of Kratos' UI texts by id (Kratos v1.3 text/id.go). A value may name
// context values as {key}; a text whose id is not here is shown in Kratos' English only, under a
// generic Chinese line (unknownZH), so that nothing is hidden.
var zhText = map[int64]string{
	1010001: "登录",
	1010002: "使用 {provider} 登录",
	1010003: "请确认身份后继续",
	1010004: "请完成第二步验证",
	1010005: "验证",
	1010006: "动态验证码",
	1010007: "备用恢复码",
	1010009: "使用身份验证器",
	1010010: "使用备用恢复码",
	1010013: "继续",
	1010014: "验证码已发送至您的邮箱",
	1010015: "使用验证码登录",
	1010022: "使用密码登录",
	1040001: "注册",
	1040003: "继续",
	1040005: "验证码已发送至您的邮箱",
	1040006: "发送注册验证码",
	1040008: "返回",
	1040009: "请选择验证身份的方式。",
	1050001: "已保存。",
	1050004: "解除身份验证器绑定",
	1050005: "身份验证器二维码",
	1050006: "身份验证器密钥",
	1050017: "无法扫描二维码时，请在身份验证器中手工输入此密钥。",
	1060001: "已成功找回账号。请在 {privileged_session_expires_at} 前设置新密码。",
	1060002: "找回账号的邮件已发出。",
	1060003: "含验证码的邮件已发送至您填写的邮箱。若未收到，请检查邮箱地址是否正确、是否为注册时使用的邮箱。",
	1070001: "密码",
	1070003: "保存",
	1070004: "账号（邮箱）",
	1070005: "提交",
	1070006: "验证码",
	1070007: "电子邮箱",
	1070008: "重新发送验证码",
	1070009: "继续",
	1070010: "找回验证码",
	1070011: "邮箱验证码",
	1070012: "注册验证码",
	1070013: "登录验证码",
	1080001: "验证邮件已发出。",
	1080002: "邮箱已验证。",
	1080003: "含验证码的邮件已发送至您填写的邮箱。若未收到，请检查邮箱地址是否正确、是否为注册时使用的邮箱。",
	4000001: "填写有误：{reason}",
	4000002: "必填项未填写。",
	4000003: "长度至少 {min_length} 位，当前 {actual_length} 位。",
	4000004: "格式不正确。",
	4000005: "该密码不能使用：{reason}。",
	4000006: "账号或密码不正确，请检查后重试。",
	4000007: "该邮箱已注册，请直接登录或找回密码。",
	4000008: "动态验证码不正确，请重试。",
	4000009: "未找到登录账号，请联系平台运维人员。",
	4000010: "账号尚未启用：请先验证您的邮箱。",
	4000011: "您尚未绑定身份验证器。",
	4000012: "该备用恢复码已使用过。",
	4000014: "您尚未设置备用恢复码。",
	4000016: "备用恢复码无效。",
	4000017: "长度不能超过 {max_length} 位，当前 {actual_length} 位。",
	4000026: "类型不正确。",
	4000029: "取值不正确。",
	4000031: "密码与账号过于相似，请换一个密码。",
	4000032: "密码至少 {min_length} 位，当前 {actual_length} 位。",
	4000033: "密码最多 {max_length} 位，当前 {actual_length} 位。",
	4000034: "该密码已在泄露数据中出现，不能再使用。",
	4000035: "该账号不存在或未开通验证码登录。",
	4000037: "该账号不存在或未设置登录方式。",
	4010001: "登录页面已过期，请重新登录。",
	4010002: "无法识别登录方式，请检查填写的内容。",
	4010003: "无法识别注册方式，请检查填写的内容。",
	4010004: "无法识别要修改的设置，请检查填写的内容。",
	4010005: "无法识别找回方式，请检查填写的内容。",
	4010006: "无法识别验证方式，请检查填写的内容。",
	4010007: "已登录，无需重复提交。",
	4010008: "登录验证码无效或已使用，请重试。",
	4040001: "注册页面已过期，请重新注册。",
	4040002: "已注册，无需重复提交。",
	4040003: "注册验证码无效或已使用，请重试。",
	4050001: "设置页面已过期，请重新打开。",
	4060001: "已完成，不能重复提交。",
	4060002: "找回流程失败，请重新开始。",
	4060004: "找回链接无效或已使用，请重新找回。",
	4060005: "找回页面已过期，请重新开始。",
	4060006: "找回验证码无效或已使用，请重试。",
	4070001: "验证链接无效或已使用，请重新验证。",
	4070002: "已完成，不能重复提交。",
	4070003: "验证流程失败，请重新开始。",
	4070005: "验证页面已过期，请重新开始。",
	4070006: "邮箱验证码无效或已使用，请重试。",
	5000001: "身份服务出错：{reason}",
}

// unknownZH is the Chinese line shown above a Kratos text the catalogue does not hold.
const unknownZH = "身份服务提示"

// traitLabels are the Chinese labels of the identity schema's traits (Kratos labels them with
// the schema's English titles, id 1070002).
var traitLabels = map[string]string{
	"traits.email": "电子邮箱",
	"traits.name":  "姓名",
	"traits.phone": "手机号码",
	"identifier":   "账号（邮箱）",
}

// bilingual is a text as a page shows it: Chinese, with Kratos' English beside it.
type bilingual struct {
	ZH, EN string
	Kind   string // info, error, success
}

// translate returns t in Chinese with its English; name is the node the text labels ("" for a
// message).
func translate(t text, name string) bilingual {
	b := bilingual{EN: t.Text, Kind: t.Type}
	if zh, ok := traitLabels[name]; ok && t.ID == 1070002 {
		b.ZH = zh
		return b
	}
	zh, ok := zhText[t.ID]
	if !ok {
		if t.ID == 1070002 { // a label generated from the schema: its title is what there is
			b.ZH, b.EN = t.Text, ""
			return b
		}
		b.ZH = unknownZH
		return b
	}
	b.ZH = fill(zh, t.Context)
	if b.ZH == b.EN {
		b.EN = ""
	}
	return b
}

// fill replaces each {key} of s with the context's value; a time reads in Beijing time.
func fill(s string, ctx map[string]any) string {
	if !strings.Contains(s, "{") {
		return s
	}
	for k, v := range ctx {
		val := fmt.Sprint(v)
		if str, ok := v.(string); ok {
			if at, err := time.Parse(time.RFC3339Nano, str); err == nil {
				val = civil.InChina(at).Format("2006年1月2日 15:04")
			}
		}
		s = strings.ReplaceAll(s, "{"+k+"}", val)
	}
	return s
}
