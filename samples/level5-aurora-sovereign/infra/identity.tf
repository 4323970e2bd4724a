# Aurora Sovereign Bank SE: the just-in-time break-glass role, assumable only through the jit-broker with MFA, for 1 hour at most.

resource "aws_iam_role" "break_glass_jit" {
  name                 = "BreakGlassJIT"
  description          = "Emergency-only; granted by the jit-broker after dual approval; every use alarms"
  max_session_duration = 3600

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::384756192837:role/jit-broker" }
      Action    = "sts:AssumeRole"
      Condition = {
        Bool            = { "aws:MultiFactorAuthPresent" = "true" }
        NumericLessThan = { "aws:MultiFactorAuthAge" = "900" }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "break_glass_jit_admin" {
  role       = aws_iam_role.break_glass_jit.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
