// Grammar of the Tessera kernel DSL (.tsr files); see DESIGN.md. The package comes from this file's folder.
grammar Tessera;

// The frontend splits the token stream at each 'kernel' keyword and parses every piece on its own, so that
// a syntax error in one kernel does not hide the errors (or the good code) of the others.
kernelUnit
    : kernel EOF
    ;

kernel
    : KERNEL NAME LPAREN (param (COMMA param)*)? RPAREN ARROW results LBRACE stmt* RBRACE
    ;

param
    : NAME COLON type
    ;

results
    : type                                        # singleResult
    | LPAREN type (COMMA type)* RPAREN            # tupleResult
    ;

type
    : DTYPE LBRACK (dim (COMMA dim)*)? RBRACK
    ;

dim
    : NAME
    | INT
    ;

// No separators: a statement always starts with 'let' or 'return', so juxtaposition is unambiguous.
stmt
    : LET NAME ASSIGN expr                        # letStmt
    | RETURN expr (COMMA expr)*                   # returnStmt
    ;

// Alternatives from the highest precedence to the lowest; binary operators are left-associative.
// Unary minus binds tighter than '@', so -a @ b is (-a) @ b.
expr
    : MINUS expr                                  # negExpr
    | expr op=AT expr                             # binaryExpr
    | expr op=(STAR | SLASH | PERCENT) expr       # binaryExpr
    | expr op=(PLUS | MINUS) expr                 # binaryExpr
    | expr op=(LT | LE | GT | GE | EQ | NE) expr  # binaryExpr
    | primary                                     # primaryExpr
    ;

// 'cast<f16>(x)' cannot be read as a comparison: a dtype is a keyword, never an operand.
primary
    : NAME typeArg? LPAREN (arg (COMMA arg)*)? RPAREN   # callExpr
    | NAME                                             # nameExpr
    | INT                                              # intExpr
    | FLOAT                                            # floatExpr
    | (TRUE | FALSE)                                   # boolExpr
    | LPAREN expr RPAREN                               # parenExpr
    | LBRACK (expr (COMMA expr)*)? RBRACK              # listExpr
    ;

typeArg
    : LT DTYPE GT
    ;

arg
    : (NAME ASSIGN)? expr
    ;

KERNEL : 'kernel';
LET    : 'let';
RETURN : 'return';
TRUE   : 'true';
FALSE  : 'false';
DTYPE  : 'f32' | 'f16' | 'bf16' | 'i32' | 'bool';

ARROW   : '->';
LPAREN  : '(';
RPAREN  : ')';
LBRACE  : '{';
RBRACE  : '}';
LBRACK  : '[';
RBRACK  : ']';
COMMA   : ',';
COLON   : ':';
LE      : '<=';
GE      : '>=';
EQ      : '==';
NE      : '!=';
LT      : '<';
GT      : '>';
ASSIGN  : '=';
PLUS    : '+';
MINUS   : '-';
STAR    : '*';
SLASH   : '/';
PERCENT : '%';
AT      : '@';

FLOAT
    : DIGITS '.' DIGITS? EXPONENT?
    | '.' DIGITS EXPONENT?
    | DIGITS EXPONENT
    ;
INT  : DIGITS;
NAME : [A-Za-z_] [A-Za-z0-9_]*;

COMMENT : '#' ~[\r\n]* -> skip;
WS      : [ \t\r\n\f]+ -> skip;

// Any other character becomes a token of its own, so the parser reports it with its position.
ERROR_CHAR : .;

fragment DIGITS   : [0-9]+;
fragment EXPONENT : [eE] [+-]? DIGITS;
